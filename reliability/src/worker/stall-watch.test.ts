import { describe, expect, it } from 'vitest';
import { type Stall, watchStalls } from './stall-watch.js';

const blockFor = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // a synchronous wait, like better-sqlite3 waiting for a lock
  }
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchStalls', () => {
  it('reports a blocked event loop as one stall spanning the block, on the wall clock', async () => {
    const stalls: Stall[] = [];
    const stop = watchStalls((stall) => stalls.push(stall), { tickMs: 20, minStallMs: 200 });
    try {
      await sleep(60);
      const blockedAt = Date.now();
      blockFor(400);
      const unblockedAt = Date.now();
      await sleep(100);
      // One stall spans the whole block (a busy machine may add others around it).
      const spanning = stalls.filter((stall) => stall.from <= blockedAt && stall.to >= unblockedAt);
      expect(spanning).toHaveLength(1);
      expect(spanning[0]!.to - spanning[0]!.from).toBeGreaterThanOrEqual(400);
    } finally {
      stop();
    }
  });

  it('reports nothing while the loop keeps running (short blocks under the threshold included)', async () => {
    const stalls: Stall[] = [];
    const stop = watchStalls((stall) => stalls.push(stall), { tickMs: 20, minStallMs: 1_000 });
    try {
      for (let index = 0; index < 5; index += 1) {
        blockFor(50);
        await sleep(30);
      }
      expect(stalls).toEqual([]);
    } finally {
      stop();
    }
  });

  it('measures on the monotonic clock: a wall clock stepped back does not make or hide a stall', async () => {
    let monotonic = 0;
    let wall = 1_000_000;
    const stalls: Stall[] = [];
    const stop = watchStalls((stall) => stalls.push(stall), { tickMs: 10, minStallMs: 100, elapsed: () => monotonic, now: () => wall });
    try {
      wall -= 3_600_000;
      await sleep(30);
      expect(stalls).toEqual([]);
      monotonic += 1_000;
      await sleep(30);
      expect(stalls).toEqual([{ from: wall - 1_000, to: wall }]);
    } finally {
      stop();
    }
  });
});
