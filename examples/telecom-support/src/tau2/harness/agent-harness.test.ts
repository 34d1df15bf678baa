import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelecomLLM } from '../../llm/create-telecom-llm.js';
import { loadTasks } from '../task.js';
import { startFakeLLMServer, type FakeLLMServer } from '../testing/fake-llm-server.js';
import { findTau2Directory } from '../world/load-data.js';
import { runHarnessCli } from './harness-cli.js';
import { runHarness } from './run-harness.js';
import { agentSessions } from './task-session.js';

const devFile = join(findTau2Directory(), 'tasks-dev.json');
const extraFile = new URL('../tasks/tasks-extra.json', import.meta.url).pathname;
const devTasks = loadTasks(devFile);
const extraTasks = loadTasks(extraFile);

describe('E6 the τ² harness through the agent (issue 16 items 5–6)', () => {
  it('passes all 8 tasks of tasks-dev.json, each in at most 30 turns', async () => {
    const result = await runHarness(devTasks, { sessions: agentSessions({ llm: createTelecomLLM(), store: { kind: 'memory' } }) });
    expect(result.runs.map((run) => [run.id, run.verdict, run.evaluation.reasons])).toEqual(devTasks.map((task) => [task.id, 'PASS', []]));
    for (const run of result.runs) expect(run.turns).toBeLessThanOrEqual(30);
    expect(result).toMatchObject({ passed: 8, failed: 0, passHatK: { 1: 1 } });
  }, 120_000);

  it('passes our 29 tasks of other branches (other breakages, other customers, transfers, combinations)', async () => {
    const result = await runHarness(extraTasks, { sessions: agentSessions({ llm: createTelecomLLM(), store: { kind: 'memory' } }) });
    expect(result.runs.filter((run) => run.verdict === 'FAIL').map((run) => [run.id, run.evaluation.reasons])).toEqual([]);
    expect(result.passed).toBe(extraTasks.length);
  }, 120_000);

  it('E6 on SQLite with a new agent and store before every turn: every suspended procedure is found on disk and resumed', async () => {
    const filename = join(mkdtempSync(join(tmpdir(), 'tau2-sqlite-')), 'harness.db');
    const result = await runHarness(devTasks, {
      sessions: agentSessions({ llm: createTelecomLLM(), store: { kind: 'sqlite', filename, restartEveryTurn: true } }),
    });
    expect(result.failed).toBe(0);
  }, 120_000);
});

describe('the harness with a real LLM adapter, against a loopback model server', () => {
  let server: FakeLLMServer;
  beforeAll(async () => {
    server = await startFakeLLMServer();
  });
  afterAll(() => server.close());

  it.each(['ollama', 'gemini'] as const)(
    '--llm %s runs the tasks through the adapter, k trials for pass^k',
    async (provider) => {
      const lines: string[] = [];
      const code = await runHarnessCli(['--tasks', devFile, '--llm', provider, '--llm-url', server.url, '--trials', '2'], {
        cwd: '/',
        env: { GEMINI_API_KEY: 'test-key-not-real' },
        print: (line) => void lines.push(line),
      });
      expect(lines.at(-1)).toBe('tau2-telecom: 16 passed, 0 failed');
      expect(lines.at(-2)).toBe('pass^k: pass^1 100.0%, pass^2 100.0%');
      expect(code).toBe(0);
      expect(server.requests[provider]).toBeGreaterThan(16);
    },
    120_000,
  );
});
