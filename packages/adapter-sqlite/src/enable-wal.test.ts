import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const directory = mkdtempSync(join(tmpdir(), 'ticketflow-sqlite-wal-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const opener = fileURLToPath(new URL('../test/wal-opener.ts', import.meta.url));

function runOpener(args: string[]): Promise<{ failures: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', opener, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(JSON.parse(stdout || '{"failures":["no output"]}') as { failures: string[] }));
  });
}

describe('several processes opening one new file at the same instant', () => {
  // Switching to WAL takes an exclusive lock, and SQLite answers SQLITE_BUSY at once (without
  // the busy timeout) to one of two openers converting the file together: about one open in
  // a hundred failed here before the store retried the switch.
  it('all get in: the WAL switch is retried within the busy timeout', { timeout: 90_000 }, async () => {
    const rounds = 40;
    const startAt = String(Date.now() + 2_500);
    const results = await Promise.all(Array.from({ length: 6 }, () => runOpener([join(directory, 'new'), startAt, String(rounds), '150'])));
    expect(results.flatMap((result) => result.failures)).toEqual([]);
  });
});
