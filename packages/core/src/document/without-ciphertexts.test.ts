import { describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../model/ticket.js';
import { executionWithoutCiphertexts, outcomesWithoutCiphertexts, slotsWithoutCiphertexts } from './without-ciphertexts.js';

const call = { tool: 'check', key: 'T:1:0', input: { pin: '****' }, output: { ok: true }, sealedInput: 'tf1.a', sealedOutput: 'tf1.b' };

function execution(): ExecutionRecord {
  return {
    id: 'x',
    workflow: 'verify',
    turn: 2,
    owner: 'a',
    leaseExpiresAt: null,
    leaseMs: 1000,
    resumeStatus: 'open',
    messageId: null,
    steps: [
      {
        index: 0,
        tool: 'check',
        key: 'T:2:0',
        input: { pin: '****' },
        sealedInput: 'tf1.c',
        state: 'failed',
        error: 'no',
        sealedErrorDetail: 'tf1.d',
        attempts: 1,
      },
      { index: 1, tool: 'check', key: 'T:2:1', input: {}, state: 'started', attempts: 1 },
    ],
    answers: [{ slot: 'pin', value: '****', sealed: 'tf1.e' }],
    awaiting: null,
    supersedes: { turn: 1, calls: [call] },
    inputs: { pin: { value: '****', sealed: 'tf1.f', turn: 1 } as never },
  };
}

describe('P1 views without ciphertexts', () => {
  it('P1 strips sealed values from steps, answers, inputs and superseded calls of an execution', () => {
    const record = execution();
    const shown = executionWithoutCiphertexts(record)!;
    expect(JSON.stringify(shown)).not.toContain('tf1.');
    expect(shown.steps[0]).toMatchObject({ input: { pin: '****' }, error: 'no' });
    expect(shown.answers).toEqual([{ slot: 'pin', value: '****' }]);
    expect(JSON.stringify(record), 'the stored record is untouched').toContain('tf1.d');
  });

  it('P1 strips sealed values from the calls outcomes keep, and returns untouched inputs as they are', () => {
    const outcomes = { verify: { outcome: 'resolved' as const, turn: 1, values: {}, calls: [call], leftCalls: [call] } };
    expect(JSON.stringify(outcomesWithoutCiphertexts(outcomes))).not.toContain('tf1.');
    const clean = { verify: { outcome: 'resolved' as const, turn: 1, values: {}, calls: [{ tool: 'a', key: 'k', input: 1, output: 2 }] } };
    expect(outcomesWithoutCiphertexts(clean)).toBe(clean);
    const slots = { a: { value: 1 } } as never;
    expect(slotsWithoutCiphertexts(slots)).toBe(slots);
    expect(executionWithoutCiphertexts(null)).toBeNull();
  });
});
