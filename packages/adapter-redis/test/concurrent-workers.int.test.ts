import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TicketDoc } from '@ticketflow/core';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisTicketStore } from '../src/index.js';
import { dropNamespaces, randomNamespace, TEST_REDIS_URL, testRedisAvailable } from './redis-test-server.js';

const available = await testRedisAvailable('RedisTicketStore across processes');
const WORKER = fileURLToPath(new URL('./fixtures/increment-worker.ts', import.meta.url));
const WORKERS = 4;
const INCREMENTS = 50;

function runWorker(args: string[]): Promise<{ worker: string; conflicts: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { cwd: fileURLToPath(new URL('..', import.meta.url)) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(stdout) as { worker: string; conflicts: number }) : reject(new Error(`worker exited ${code}: ${stderr}`)),
    );
  });
}

describe.runIf(available)('RedisTicketStore across processes', () => {
  const namespace = randomNamespace('workers');
  afterAll(() => dropNamespaces([namespace]));

  it(`T6 ${WORKERS} processes × ${INCREMENTS} compare-and-set increments lose no update and leave gap-free events`, { timeout: 45_000 }, async () => {
    const store = new RedisTicketStore({ url: TEST_REDIS_URL, namespace });
    try {
      await store.commit({ ticketId: 'T-counter', expectedVersion: null, ticket: { counter: 0 } as unknown as TicketDoc, events: [] });
      const results = await Promise.all(
        Array.from({ length: WORKERS }, (_, index) => runWorker([TEST_REDIS_URL, namespace, 'T-counter', `w${index}`, String(INCREMENTS)])),
      );
      const total = WORKERS * INCREMENTS;
      const loaded = await store.load('T-counter');
      expect(loaded).toEqual({ ticket: { counter: total }, version: 1 + total });
      const events = await store.events('T-counter');
      expect(events.map((event) => event.seq)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
      expect(events.map((event) => event.data?.value)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
      for (const { worker } of results) expect(events.filter((event) => event.data?.worker === worker)).toHaveLength(INCREMENTS);
      console.info(`conflicts retried: ${results.map((result) => `${result.worker}=${result.conflicts}`).join(', ')}`);
    } finally {
      await store.close();
    }
  });
});

if (!available) it.skip('RedisTicketStore across processes (no Redis server, see the banner above)', () => undefined);
