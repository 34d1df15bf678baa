import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The command as a real process (from its source, through tsx): exit codes, stdout and stderr.
// A full replay against a real SQLite file is driven by the telecom example's test, where
// the adapters are installed (examples/telecom-support/test/replay-cli.test.ts).

const entry = fileURLToPath(new URL('./ticketflow.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
let bare: string;

function ticketflow(argv: string[], cwd = bare): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Without NODE_PATH (pnpm's scripts set it to the whole workspace), the process sees what an app would.
  const { NODE_PATH: _ignored, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, entry, ...argv], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(() => {
  bare = mkdtempSync(join(tmpdir(), 'ticketflow-bin-'));
  writeFileSync(join(bare, 'agent.mjs'), 'export const intents = []; export const workflows = [];\n');
});

afterAll(() => rmSync(bare, { recursive: true, force: true }));

describe('the ticketflow process', () => {
  it('prints the usage and exits 0 for --help', async () => {
    const result = await ticketflow(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: ticketflow replay <ticketId> --store <url> --agent <module> [options]');
    expect(result.stderr).toBe('');
  });

  it('exits 2 for bad arguments, every problem on stderr with the closest valid option, nothing on stdout', async () => {
    const result = await ticketflow(['replay', 'T-1', '--stroe', 'sqlite:./t.db', '--agent', 'agent.mjs', '--jsn']);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'ticketflow: unknown option "--stroe" (did you mean --store?)\nticketflow: unknown option "--jsn" (did you mean --json?)\nticketflow: --store is required: sqlite:<file>, postgres://… or redis://…\nRun ticketflow --help for the options.\n',
    });
    expect(await ticketflow([])).toMatchObject({ code: 2, stderr: expect.stringContaining('a command is required') });
  });

  it('exits 2 with the install command when the app has no adapter for the store, without showing the password', async () => {
    const result = await ticketflow(['replay', 'T-1', '--store', 'postgres://app:pa55word-x@127.0.0.1:5432/test', '--agent', 'agent.mjs']);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'ticketflow: --store postgres://… needs @ticketflow/adapter-postgres, which is not installed here: npm install @ticketflow/adapter-postgres\n',
    });
  });

  it('exits 2 for an unknown scheme with the closest one, and for memory', async () => {
    expect(await ticketflow(['replay', 'T-1', '--store', 'sqllite:t.db', '--agent', 'agent.mjs'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('(did you mean sqlite:?)'),
    });
    expect(await ticketflow(['replay', 'T-1', '--store', 'memory:', '--agent', 'agent.mjs'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('a MemoryTicketStore lives inside one process'),
    });
  });
});
