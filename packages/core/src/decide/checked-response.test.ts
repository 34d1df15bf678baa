import { describe, expect, it } from 'vitest';
import type { LLM, LLMResponse } from '../llm/llm.js';
import { LLMError } from '../llm/llm-error.js';
import { checkedResponse, MAX_ANSWER_CHARS, requestedModel } from './checked-response.js';

const answer = (extra: Record<string, unknown>) => ({ text: '{}', model: 'm', latencyMs: 3, ...extra }) as unknown as LLMResponse;

function refusal(response: LLMResponse): LLMError {
  try {
    checkedResponse(response, 'p');
  } catch (error) {
    if (LLMError.isInstance(error)) return error;
  }
  throw new Error('not refused');
}

describe('L1 the answer of an adapter is checked like foreign input', () => {
  it('L1 passes a clean answer through as it is', () => {
    const clean = answer({ usage: { inputTokens: 10, outputTokens: 2 }, finishReason: 'stop' });
    expect(checkedResponse(clean, 'p')).toBe(clean);
  });

  it('L1 drops token counts that are not non-negative finite numbers', () => {
    for (const usage of [
      { inputTokens: Number.NaN, outputTokens: 1 },
      { inputTokens: '10', outputTokens: 1 },
      { inputTokens: 1, outputTokens: -495 },
      'lots',
      null,
    ]) {
      expect(checkedResponse(answer({ usage }), 'p')).not.toHaveProperty('usage');
    }
  });

  it('L1 keeps a model name only as a bounded string (else the provider name), and bounds the finish reason', () => {
    expect(checkedResponse(answer({ model: { name: 'x' } }), 'p').model).toBe('p');
    expect(checkedResponse(answer({ model: 'm'.repeat(100_005) }), 'p').model).toHaveLength(200);
    expect(checkedResponse(answer({ finishReason: 42 }), 'p')).not.toHaveProperty('finishReason');
  });

  it('L1 refuses an answer too long to be a decision, and one cut off or stopped by safety', () => {
    expect(refusal(answer({ text: 'x'.repeat(MAX_ANSWER_CHARS + 1) })).kind).toBe('invalid_output');
    expect(refusal(answer({ finishReason: 'MAX_TOKENS' })).kind).toBe('invalid_output');
    expect(refusal(answer({ finishReason: 'SAFETY' })).kind).toBe('blocked');
    expect(refusal({ model: 'm' } as unknown as LLMResponse).kind).toBe('invalid_output');
  });
});

describe('L1 the model an adapter says it asks for (llm.model)', () => {
  const llm = (model: unknown) => ({ name: 'p', model, generate: async () => answer({}) }) as unknown as LLM;

  it('L1 is read as a label: a string kept (cut, made storable), anything else ignored', () => {
    expect(requestedModel(llm('gemini-2.5-flash'))).toBe('gemini-2.5-flash');
    expect(requestedModel(llm('x'.repeat(5_000)))).toHaveLength(200);
    expect(requestedModel(llm('a\u0000b'))).not.toContain('\u0000');
    for (const model of [undefined, '', 42, { id: 'x' }, null]) expect(requestedModel(llm(model))).toBeUndefined();
  });

  it('L1 a getter that throws says nothing (never fails the turn)', () => {
    const throwing = {
      name: 'p',
      get model(): string {
        throw new Error('boom');
      },
      generate: async () => answer({}),
    } as LLM;
    expect(requestedModel(throwing)).toBeUndefined();
  });
});
