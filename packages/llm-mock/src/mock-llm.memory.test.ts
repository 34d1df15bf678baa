import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { MockLLM } from './mock-llm.js';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

/** A prompt of about the size the core sends (~2.5 KB), a fresh flat string every time. */
const promptOf = (turn: number) => `${Buffer.alloc(2_400, 97 + (turn % 26)).toString()}\n<<<CUSTOMER_MESSAGE\nturn ${turn}: no internet\nCUSTOMER_MESSAGE>>>`;

/** Collects garbage until finalizers (those of disposed timeout signals) have run too. */
async function settle(): Promise<void> {
  for (let round = 0; round < 4; round += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
  }
}

async function retainedAfter(llm: MockLLM, turns: number): Promise<number> {
  await settle();
  const before = process.memoryUsage().heapUsed;
  for (let turn = 0; turn < turns; turn += 1) await llm.generate(promptOf(turn), { timeoutMs: 30_000 });
  await settle();
  return process.memoryUsage().heapUsed - before;
}

describe('MockLLM memory', () => {
  it('20 000 calls retain a bounded amount of memory by default (issue 12.14: was +49 MiB)', async () => {
    const llm = new MockLLM({ fallback: { intent: 'no_internet', confidence: 0.9 } });
    const retained = await retainedAfter(llm, 20_000);
    expect(llm.callCount).toBe(20_000);
    expect(llm.calls).toHaveLength(100);
    expect(llm.calls[0]?.index).toBe(19_901);
    expect(llm.lastCall?.index).toBe(20_000);
    expect(retained, `${(retained / 1_048_576).toFixed(1)} MiB retained`).toBeLessThan(2 * 1_048_576);
  }, 60_000);

  it('the measurement sees the growth when every call is kept (maxRecordedCalls: Infinity)', async () => {
    const llm = new MockLLM({ fallback: { intent: 'no_internet', confidence: 0.9 }, maxRecordedCalls: Number.POSITIVE_INFINITY });
    const retained = await retainedAfter(llm, 20_000);
    expect(llm.calls).toHaveLength(20_000);
    expect(retained, `${(retained / 1_048_576).toFixed(1)} MiB retained`).toBeGreaterThan(40 * 1_048_576);
  }, 60_000);
});
