import { LLM_ERROR_KINDS, LLMError } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { describe, expect, it } from 'vitest';
import { FaultInjectingLLM, LLM_FAULT_KINDS, type LLMFaultKind } from './fault-injecting-llm.js';
import { SeededRandom } from './seeded-random.js';
import { createToolFaultPlan, TOOL_FAULT_KINDS } from './tool-fault-plan.js';

describe('SeededRandom', () => {
  it('replays the same sequence from the same seed', () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 5 },
        (
          (random) => () =>
            random.int(1_000)
        )(new SeededRandom(seed)),
      );
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });
});

describe('FaultInjectingLLM', () => {
  it('fails about the configured share of calls, with every LLMError kind, broken answers and hangs', async () => {
    const faults: LLMFaultKind[] = [];
    const llm = new FaultInjectingLLM(new MockLLM({ fallback: { intent: 'no_internet', confidence: 0.9 } }), {
      rate: 0.2,
      random: new SeededRandom(1),
      onFault: (kind) => faults.push(kind),
    });
    let errors = 0;
    for (let call = 0; call < 1_000; call += 1) {
      try {
        await llm.generate('prompt', { signal: AbortSignal.timeout(5) });
      } catch (error) {
        expect(LLMError.isInstance(error)).toBe(true);
        errors += 1;
      }
    }
    expect(faults.length).toBeGreaterThan(150);
    expect(faults.length).toBeLessThan(250);
    expect(new Set(faults)).toEqual(new Set(LLM_FAULT_KINDS));
    expect(LLM_FAULT_KINDS).toEqual(expect.arrayContaining([...LLM_ERROR_KINDS]));
    // invalid and schema-invalid JSON are answers (the core refuses them), the rest throw
    expect(errors).toBe(faults.filter((kind) => kind !== 'invalid_json' && kind !== 'schema_invalid').length);
  });

  it('a hang lasts until the caller aborts', async () => {
    const llm = new FaultInjectingLLM(new MockLLM(), { rate: 1, random: { chance: () => true, pick: () => 'hang' } as unknown as SeededRandom });
    const controller = new AbortController();
    const pending = llm.generate('prompt', { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ kind: 'timeout' });
  });
});

describe('createToolFaultPlan', () => {
  it('fails the share of runs with every kind, and only the first undo of a key', () => {
    const kinds: string[] = [];
    const plan = createToolFaultPlan({ rate: 0.1, undoRate: 1, random: new SeededRandom(3), onFault: (kind) => kinds.push(kind) });
    for (let call = 0; call < 2_000; call += 1) plan({ operation: 'x', key: `k${call}`, kind: 'run' });
    expect(kinds.length).toBeGreaterThan(150);
    expect(new Set(kinds)).toEqual(new Set(TOOL_FAULT_KINDS));
    expect(plan({ operation: 'x', key: 'u', kind: 'undo' })).toBe('fail');
    expect(plan({ operation: 'x', key: 'u', kind: 'undo' })).toBeNull();
  });
});
