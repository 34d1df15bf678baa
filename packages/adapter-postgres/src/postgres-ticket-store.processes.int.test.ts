import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { requirePostgres, uniqueName } from '../test/require-postgres.js';
import { quoteIdentifier } from './postgres-schema.js';
import { PostgresTicketStore } from './postgres-ticket-store.js';

const postgres = await requirePostgres();
const schema = uniqueName('tf_processes');
const worker = fileURLToPath(new URL('../test/increment-worker.ts', import.meta.url));

afterAll(async () => {
  if (!postgres.available) return;
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
  await admin.end();
});

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

describe.skipIf(!postgres.available)('PostgresTicketStore across processes', () => {
  it('T6 4 processes creating the schema at once, then 4 x 50 compare-and-set increments on one ticket, lose no update', { timeout: 60_000 }, async () => {
    const namespace = uniqueName('tf_processes_ns');
    const startAt = String(Date.now() + 2_000);
    const names = ['w1', 'w2', 'w3', 'w4'];
    const results = await Promise.all(names.map((name) => runWorker([postgres.url, schema, namespace, 'T-counter', name, '50', startAt])));
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const conflicts = results.reduce((sum, result) => sum + (JSON.parse(result.stdout) as { conflicts: number }).conflicts, 0);
    expect(conflicts, 'the processes did not race').toBeGreaterThan(0);

    const store = new PostgresTicketStore({ connectionString: postgres.url, schema, namespace });
    try {
      const loaded = await store.load('T-counter');
      expect(loaded).toEqual({ ticket: { count: 200 }, version: 1 + 200 });
      const events = await store.events('T-counter');
      expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 200 }, (_, index) => index + 1));
      expect(events.map((event) => event.data?.count)).toEqual(Array.from({ length: 200 }, (_, index) => index + 1));
      for (const name of names) expect(events.filter((event) => event.data?.worker === name)).toHaveLength(50);
    } finally {
      await store.close();
    }
  });
});
