import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTasks } from '../task.js';
import { findTau2Directory } from '../world/load-data.js';
import { HarnessUsageError, parseHarnessArgs, runHarnessCli } from './harness-cli.js';
import { passHatK } from './pass-hat-k.js';
import { playTask } from './play-task.js';
import { formatRun, formatSummary, reportJson, runHarness } from './run-harness.js';
import type { AgentTurn, SessionFactory } from './task-session.js';

const devFile = join(findTau2Directory(), 'tasks-dev.json');
const [, , refuelTask, airplaneTask] = loadTasks(devFile);

/** A stand-in agent that plays a fixed list of turns (the harness's own mechanics, without the engine). */
function scripted(turns: AgentTurn['action'][], seen: string[] = []): SessionFactory {
  return async () => {
    let index = 0;
    return {
      send: async (message) => {
        seen.push(message);
        const action = turns[Math.min(index++, turns.length - 1)]!;
        return { reply: String(action.question ?? 'ok'), action };
      },
      close: async () => {},
    };
  };
}
const ask = (slot: string) => ({ type: 'ask', slot, question: `question about ${slot}` });
const resolved = { type: 'execute', workflow: 'w', outcome: 'resolved' };

describe('playing a task', () => {
  it('opens with the ticket, lets the customer act on the world for each question, and passes when the world is fixed', async () => {
    const seen: string[] = [];
    const run = await playTask(airplaneTask!, { sessions: scripted([ask('status_bar'), ask('service_after_airplane_off'), resolved], seen) });
    expect(seen[0]).toBe(airplaneTask!.ticket);
    expect(seen[1]).toContain('✈️ Airplane Mode');
    expect(run).toMatchObject({ verdict: 'PASS', turns: 3 });
    expect(run.actions.filter((action) => action.name === 'toggle_airplane_mode')).toEqual([
      { requestor: 'user', name: 'toggle_airplane_mode', arguments: {}, ok: true },
    ]);
    expect(run.evaluation.assertions.map((assertion) => [assertion.func_name, assertion.value])).toEqual([
      ['assert_service_status', true],
      ['assert_no_overdue_bill', true],
    ]);
    expect(run.transcript.map((entry) => entry.role)).toEqual(['customer', 'agent', 'customer', 'agent', 'customer', 'agent']);
  });

  it('fails a conversation that resolves without fixing, names the assertion and the missing action', async () => {
    const run = await playTask(airplaneTask!, { sessions: scripted([resolved]) });
    expect(run.verdict).toBe('FAIL');
    expect(run.evaluation.reasons).toEqual([
      'assertion assert_service_status({"expected_status":"connected"}) is false, expected true',
      'expected action not performed: user toggle_airplane_mode({})',
    ]);
  });

  it('fails a transfer to a human the task does not expect', async () => {
    const run = await playTask(airplaneTask!, {
      sessions: scripted([ask('status_bar'), ask('service_after_airplane_off'), { type: 'execute', workflow: 'w', outcome: 'escalated' }]),
    });
    expect(run.evaluation).toMatchObject({ passed: false, unexpectedTransfer: true });
  });

  it('needs the expected action on the right side: the agent refuelling passes, nobody refuelling fails', async () => {
    const noRefuel = await playTask(refuelTask!, { sessions: scripted([ask('speed_test'), resolved]) });
    expect(noRefuel.evaluation.reasons).toContain(
      'expected action not performed: assistant refuel_data({"customer_id":"C1001","line_id":"L1002","gb_amount":2})',
    );
  });

  it('does not count a conversation that never ends: an agent stuck in fallbacks, or the turn limit', async () => {
    const stuck = await playTask(airplaneTask!, { sessions: scripted([{ type: 'fallback', reason: 'llm_unavailable' }]) });
    expect(stuck.evaluation.reasons[0]).toBe('the conversation did not end: the agent kept answering with fallback llm_unavailable');
    expect(stuck.turns).toBe(3);
    const endless = await playTask(airplaneTask!, { sessions: scripted([ask('status_bar')]), maxTurns: 5 });
    expect(endless.evaluation.reasons[0]).toBe('the conversation did not end: no ending within 5 customer messages');
  });

  it('reports a set-up the world does not know as a failed task, not a crash', async () => {
    const broken = {
      ...airplaneTask!,
      id: 'broken',
      initial_state: { initialization_actions: [{ env_type: 'user' as const, func_name: 'melt_phone', arguments: {} }] },
    };
    const run = await playTask(broken, { sessions: scripted([resolved]) });
    expect(run).toMatchObject({ verdict: 'FAIL', error: 'set-up: unknown user initialization function melt_phone' });
  });
});

describe('harness report', () => {
  it('prints one line per conversation and closes with the counts; the JSON has everything per task', async () => {
    const result = await runHarness([airplaneTask!], { sessions: scripted([ask('status_bar'), ask('service_after_airplane_off'), resolved]), trials: 2 });
    expect(formatRun(result.runs[0]!, 2)).toBe(`PASS ${airplaneTask!.id} (trial 1/2) · 3 turns · user toggle_airplane_mode`);
    expect(formatSummary(result)).toEqual(['pass^k: pass^1 100.0%, pass^2 100.0%', 'tau2-telecom: 2 passed, 0 failed']);
    const json = reportJson(result, { llm: 'mock' }) as { tasks: Record<string, unknown>[] };
    expect(Object.keys(json.tasks[0]!)).toEqual([
      'id',
      'trial',
      'verdict',
      'turns',
      'actions',
      'assertions',
      'expectedActions',
      'unexpectedTransfer',
      'reasons',
      'transcript',
    ]);
    expect(json.tasks[0]).toMatchObject({ expectedActions: [{ name: 'toggle_airplane_mode', requestor: 'user', performed: true }] });
  });

  it('computes pass^k like τ²-bench: C(c,k)/C(n,k) averaged over tasks', () => {
    expect(
      passHatK([
        [4, 4],
        [2, 4],
      ]),
    ).toEqual({ 1: 0.75, 2: (1 + 1 / 6) / 2, 3: 0.5, 4: 0.5 });
    expect(passHatK([[0, 3]])).toEqual({ 1: 0, 2: 0, 3: 0 });
    expect(passHatK([])).toEqual({});
  });
});

describe('harness command line', () => {
  it('reads the options, skipping the -- that pnpm passes, and resolves paths against the caller', () => {
    expect(parseHarnessArgs(['--', '--tasks', 'tasks.json', '--trials', '3', '--out', 'out/r.json'], '/home/me')).toEqual({
      tasks: '/home/me/tasks.json',
      out: '/home/me/out/r.json',
      llm: 'mock',
      trials: 3,
      store: { kind: 'memory' },
      maxTurns: 60,
      llmUrl: null,
    });
    expect(parseHarnessArgs(['--tasks', 't.json', '--store', 'sqlite:db/x.db', '--restart'], '/w').store).toEqual({
      kind: 'sqlite',
      filename: '/w/db/x.db',
      restartEveryTurn: true,
    });
  });

  it('lists every problem of a bad command line', () => {
    expect(() => parseHarnessArgs(['--llm', 'gpt', '--trials', '0', '--restart'], '/w')).toThrow(HarnessUsageError);
    try {
      parseHarnessArgs(['--llm', 'gpt', '--trials', '0', '--restart'], '/w');
    } catch (error) {
      expect((error as Error).message.split('\n')).toEqual([
        '--tasks <file> is required',
        '--llm must be mock, gemini or ollama (got gpt)',
        '--trials must be an integer from 1 to 100 (got 0)',
        '--restart needs --store sqlite (a memory store does not survive a restart)',
      ]);
    }
    expect(() => parseHarnessArgs(['--tasks', 'x', '--task-file', 'y'], '/w')).toThrow("Unknown option '--task-file'");
  });

  it('answers 2 with the usage for a task file it cannot use, and for gemini without a key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tau2-cli-'));
    writeFileSync(join(dir, 'bad.json'), '[{"id": "x"}]');
    const lines: string[] = [];
    const print = (line: string) => void lines.push(line);
    expect(await runHarnessCli(['--tasks', 'bad.json'], { cwd: dir, env: {}, print })).toBe(2);
    expect(lines.join('\n')).toMatch(/task 0: ticket .*\n[\s\S]*usage: eval:tau2/);
    expect(await runHarnessCli(['--tasks', devFile, '--llm', 'gemini'], { cwd: dir, env: {}, print })).toBe(2);
    expect(lines.at(-1)).toContain('--llm gemini needs GEMINI_API_KEY');
    expect(await runHarnessCli(['--tasks', 'missing.json'], { cwd: dir, env: {}, print })).toBe(2);
    expect(readFileSync(join(dir, 'bad.json'), 'utf8')).toContain('"id"');
  });
});

describe('conversation ticket ids', () => {
  it('are valid ticket ids, distinct per conversation (long ids, trials) and per harness run', async () => {
    const { conversationTicketId } = await import('./task-session.js');
    const longId = `[mms_issue]${'break_app_sms_permission|'.repeat(8)}[PERSONA:Easy]`;
    const ids = [
      conversationTicketId('run1', `${longId}.1`),
      conversationTicketId('run1', `${longId}.2`),
      conversationTicketId('run1', `${longId}x.1`),
      conversationTicketId('run2', `${longId}.1`),
    ];
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(conversationTicketId('run1', '[service_issue]airplane_mode_on.1')).toMatch(/^tau2\.run1\.[0-9a-f]{10}\.-service_issue-airplane_mode_on\.1$/);
  });
});
