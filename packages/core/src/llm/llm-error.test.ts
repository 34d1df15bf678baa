import { describe, expect, it } from 'vitest';
import { LLM_ERROR_KINDS, LLMError, type LLMErrorKind } from './llm-error.js';

describe('LLMError', () => {
  it('L2 every kind of the taxonomy builds an error with its default retryability', () => {
    for (const kind of LLM_ERROR_KINDS) {
      const error = new LLMError({ kind, provider: 'test', message: 'failed' });
      expect(error).toMatchObject({ kind, provider: 'test', code: `llm_${kind}`, message: '[test] failed', retryable: LLMError.isRetryableKind(kind) });
    }
  });

  it('L2 a kind outside the taxonomy is a TypeError naming the closest kind (a misspelt kind would silently change retries)', () => {
    expect(() => new LLMError({ kind: 'rate_limit' as LLMErrorKind, provider: 'test', message: 'slow down' })).toThrow(
      /unknown LLMError kind "rate_limit" — did you mean "rate_limited"\?/,
    );
    expect(() => new LLMError({ kind: undefined as unknown as LLMErrorKind, provider: 'test', message: 'x' })).toThrow(TypeError);
    expect(() => new LLMError({ kind: 'toString' as LLMErrorKind, provider: 'test', message: 'x' })).toThrow(TypeError);
  });
});
