import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteTicketStore } from './sqlite-ticket-store.js';

const directory = mkdtempSync(join(tmpdir(), 'ticketflow-sqlite-processes-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const worker = fileURLToPath(new URL('../test/increment-worker.ts', import.meta.url));

function runWorker(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('SqliteTicketStore across processes', () => {
  it('T6 4 processes x 50 compare-and-set increments on one ticket of a new file lose no update', { timeout: 60_000 }, async () => {
    const filename = join(directory, 'shared', 'tickets.db');
    const startAt = String(Date.now() + 2_000);
    const results = await Promise.all(['w1', 'w2', 'w3', 'w4'].map((name) => runWorker([filename, 'T-counter', name, '50', startAt])));
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const conflicts = results.reduce((sum, result) => sum + (JSON.parse(result.stdout) as { conflicts: number }).conflicts, 0);
    expect(conflicts, 'the processes did not race').toBeGreaterThan(0);

    const store = new SqliteTicketStore({ filename });
    try {
      const loaded = await store.load('T-counter');
      expect(loaded?.version).toBe(1 + 200);
      expect(loaded?.ticket).toEqual({ count: 200 });
      const events = await store.events('T-counter');
      expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 200 }, (_, index) => index + 1));
      expect(events.map((event) => event.data?.count)).toEqual(Array.from({ length: 200 }, (_, index) => index + 1));
      for (const name of ['w1', 'w2', 'w3', 'w4']) {
        expect(events.filter((event) => event.data?.worker === name)).toHaveLength(50);
      }
    } finally {
      await store.close();
    }
  });
});
