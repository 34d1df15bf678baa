import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MemoryTicketStore } from '@ticketflow/core';
import { describe, expect, it } from 'vitest';
import { createTelecomAgent } from '../create-telecom-agent.js';
import { BoundedMap } from './bounded-map.js';
import { MemoryEffectLedger } from './effect-ledger.js';
import { TelecomBackend } from './telecom-backend.js';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

function retainedHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** One customer turn's worth of backend work: a plan change, a credit, a case, a roaming pass, a SIM, a reverted step. */
async function turn(backend: TelecomBackend, index: number): Promise<void> {
  const account = `account-${index}`;
  await backend.changePlan({ account, plan: 'plus' }, `turn-${index}:0`);
  await backend.issueCredit({ account, amount: 10, reason: 'r' }, `turn-${index}:1`);
  await backend.openCase({ queue: 'care', summary: `case ${index}`, priority: 'normal' }, `turn-${index}:2`);
  await backend.enableRoaming({ line: account, destination: 'Spain' }, `turn-${index}:3`);
  await backend.activateSim({ line: account, format: 'esim' }, `turn-${index}:4`);
  await backend.revertPlanChange(`turn-${index}:0`);
  await backend.reverseCredit(`never-ran-${index}`);
}

describe('the simulated backend keeps bounded memory (issue 12 item 14)', () => {
  it('20,000 turns through the backend: the ledger, the call log, the queue and the account state stay within their limits', async () => {
    const backend = new TelecomBackend({
      latencyMs: 0,
      ledger: new MemoryEffectLedger({ capacity: 2_000 }),
      limits: { calls: 500, cases: 300, accounts: 1_000 },
    });
    for (let index = 0; index < 5_000; index += 1) await turn(backend, index);
    const warm = retainedHeap();
    for (let index = 5_000; index < 20_000; index += 1) await turn(backend, index);
    const grown = retainedHeap() - warm;
    expect(backend.callCount).toBe(20_000 * 7);
    expect(backend.calls.length).toBeLessThanOrEqual(625);
    expect((backend.ledger as MemoryEffectLedger).effects.size).toBe(2_000);
    expect((backend.ledger as MemoryEffectLedger).cancelled.size).toBe(2_000);
    expect(backend.queue).toHaveLength(300);
    expect([backend.plans.size, backend.roaming.size, backend.activeSims.size]).toEqual([1_000, 1_000, 1_000]);
    // 15,000 more turns (105,000 calls) after the limits were reached leave the retained heap where it was.
    expect(grown).toBeLessThan(2 * 1024 * 1024);
  }, 60_000);

  it('the newest state and effects are the ones kept: a recent key is still replayed, an evicted one is forgotten', async () => {
    const backend = new TelecomBackend({ latencyMs: 0, ledger: new MemoryEffectLedger({ capacity: 3 }), limits: { calls: 4, accounts: 2 } });
    for (let index = 0; index < 5; index += 1) await backend.changePlan({ account: `a${index}`, plan: 'plus' }, `k${index}`);
    expect([...(backend.ledger as MemoryEffectLedger).effects.keys()]).toEqual(['k2', 'k3', 'k4']);
    expect([...backend.plans.keys()]).toEqual(['a3', 'a4']);
    await backend.changePlan({ account: 'a4', plan: 'plus' }, 'k4');
    expect(backend.callsSince(5).map((call) => call.result)).toEqual(['replayed']);
    expect(backend.callCount).toBe(6);
    expect(backend.calls.length).toBeLessThanOrEqual(5);
  });

  it('callsSince counts across trimming, so a turn sees exactly its own calls', async () => {
    const backend = new TelecomBackend({ latencyMs: 0, limits: { calls: 8 } });
    for (let index = 0; index < 30; index += 1) await backend.checkOutage({ region: 'Berlin', service: 'fiber' }, `c${index}`);
    const before = backend.callCount;
    await backend.resetModem({ line: 'L' }, 'reset');
    expect(backend.callsSince(before)).toEqual([{ operation: 'reset_modem', key: 'reset', kind: 'run', result: 'ok' }]);
  });

  it('2,000 turns through the agent keep the backend within its limits (the store keeps the tickets)', async () => {
    const backend = new TelecomBackend({ latencyMs: 0, ledger: new MemoryEffectLedger({ capacity: 500 }), limits: { calls: 200, cases: 50, accounts: 100 } });
    const { agent } = createTelecomAgent({ store: new MemoryTicketStore(), backend, llmRetry: { retries: 0 } });
    const messages = ['My fiber internet is down in Berlin', 'I want to talk to a real person', 'Please activate my new eSIM on 0151 2345678'];
    for (let index = 0; index < 2_000; index += 1) await agent.handle({ ticketId: `T-${index}`, message: messages[index % messages.length]! });
    expect(backend.callCount).toBeGreaterThanOrEqual(4_000);
    expect(backend.calls.length).toBeLessThanOrEqual(250);
    expect((backend.ledger as MemoryEffectLedger).effects.size).toBeLessThanOrEqual(500);
    expect(backend.queue.length).toBeLessThanOrEqual(50);
    expect(backend.activeSims.size).toBeLessThanOrEqual(100);
  }, 60_000);

  it('BoundedMap refuses a limit that is not a positive integer and refreshes a key on set', () => {
    expect(() => new BoundedMap(0)).toThrow(RangeError);
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('a', 3).set('c', 4);
    expect([...map.entries()]).toEqual([
      ['a', 3],
      ['c', 4],
    ]);
  });
});
