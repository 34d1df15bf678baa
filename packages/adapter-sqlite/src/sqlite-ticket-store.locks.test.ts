import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from '@ticketflow/core';
import type { TicketDoc } from '@ticketflow/core';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteTicketStore } from './sqlite-ticket-store.js';

const directory = mkdtempSync(join(tmpdir(), 'ticketflow-sqlite-locks-'));
const holder = fileURLToPath(new URL('../test/lock-holder.ts', import.meta.url));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill();
  rmSync(directory, { recursive: true, force: true });
});

/** Starts a process that holds the file's write lock for `holdMs`; resolves once it holds it. */
function holdLock(filename: string, holdMs: number): Promise<{ released: Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', holder, filename, String(holdMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const released = new Promise<void>((done) => child.on('exit', () => done()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('locked')) resolve({ released });
    });
    child.on('error', reject);
  });
}

/** Measures the longest gap between ticks of a 5 ms interval while `work` runs. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T | StoreError; stallMs: number; elapsedMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  try {
    const result = await work().catch((error: unknown) => error as StoreError);
    return { result, stallMs: Math.max(stallMs, performance.now() - last), elapsedMs: performance.now() - started };
  } finally {
    clearInterval(ticker);
  }
}

const ticket = (n: number) => ({ schemaVersion: 1, id: 'T-1', n }) as unknown as TicketDoc;

describe('SqliteTicketStore while another process holds the lock', () => {
  it('T6 waits for the lock without freezing the event loop, and commits once it is released', { timeout: 30_000 }, async () => {
    const filename = join(directory, 'released.db');
    const store = new SqliteTicketStore({ filename, busyTimeoutMs: 10_000 });
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(1), events: [] });
    await holdLock(filename, 3_000);
    const { result, stallMs, elapsedMs } = await longestStall(() => store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket(2), events: [] }));
    console.info(`[sqlite lock test] commit waited ${Math.round(elapsedMs)} ms for a lock held 3 s; longest event-loop stall ${stallMs.toFixed(1)} ms`);
    expect(result).toEqual({ ok: true, version: 2 });
    expect(elapsedMs, 'the commit waited for the lock').toBeGreaterThan(2_000);
    expect(stallMs, 'the event loop kept running while the commit waited').toBeLessThan(250);
    await store.close();
  });

  it('T5 fails as unavailable, nothing applied, after busyTimeoutMs — still without freezing the event loop', { timeout: 30_000 }, async () => {
    const filename = join(directory, 'held.db');
    const store = new SqliteTicketStore({ filename, busyTimeoutMs: 1_000 });
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(1), events: [] });
    const { released } = await holdLock(filename, 3_000);
    const { result, stallMs, elapsedMs } = await longestStall(() => store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket(2), events: [] }));
    console.info(`[sqlite lock test] gave up after ${Math.round(elapsedMs)} ms (busyTimeoutMs 1000); longest event-loop stall ${stallMs.toFixed(1)} ms`);
    expect(StoreError.isInstance(result) && [result.kind, result.outcome, result.retryable]).toEqual(['unavailable', 'not_applied', true]);
    expect(elapsedMs).toBeGreaterThanOrEqual(950);
    expect(elapsedMs).toBeLessThan(2_500);
    expect(stallMs).toBeLessThan(250);
    await released;
    expect(await store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket(2), events: [] })).toEqual({ ok: true, version: 2 });
    await store.close();
  });
});
