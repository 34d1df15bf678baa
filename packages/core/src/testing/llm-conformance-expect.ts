import { expect } from 'vitest';
import type { LLMResponse, LLMUsage } from '../llm/llm.js';
import { LLMError, type LLMErrorKind } from '../llm/llm-error.js';

/** Values the answer scenario must produce exactly; omitted fields are only shape-checked. */
export interface ExpectedLLMAnswer {
  text?: string;
  model?: string;
  usage?: LLMUsage;
  finishReason?: string;
}

/**
 * Asserts the {@link LLMResponse} contract of a normal answer: types and ranges of every
 * field, a lower-case `finishReason` that is neither `max_tokens` nor `safety`.
 */
export function expectWellFormedResponse(response: LLMResponse): void {
  expect(typeof response.text).toBe('string');
  expect(typeof response.model).toBe('string');
  expect(response.model.length).toBeGreaterThan(0);
  expect(Number.isFinite(response.latencyMs)).toBe(true);
  expect(response.latencyMs).toBeGreaterThanOrEqual(0);
  if (response.usage !== undefined) {
    for (const count of [response.usage.inputTokens, response.usage.outputTokens]) {
      expect(Number.isSafeInteger(count) && count >= 0, `token count ${count}`).toBe(true);
    }
  }
  if (response.finishReason !== undefined) {
    expect(response.finishReason).toBe(response.finishReason.toLowerCase());
    expect(['max_tokens', 'safety']).not.toContain(response.finishReason);
  }
}

/**
 * Asserts that `error` is an {@link LLMError} (recognised by `isInstance`, not `instanceof`)
 * with the kind, provider, the kind's default `retryable` and a `[provider]` message prefix.
 */
export function expectLLMError(error: unknown, expected: { kind: LLMErrorKind; provider: string; retryable?: boolean }): asserts error is LLMError {
  expect(LLMError.isInstance(error), `expected an LLMError, got ${describeValue(error)}`).toBe(true);
  const llmError = error as LLMError;
  expect({ kind: llmError.kind, provider: llmError.provider }, llmError.message).toEqual({ kind: expected.kind, provider: expected.provider });
  expect(llmError.retryable).toBe(expected.retryable ?? LLMError.isRetryableKind(expected.kind));
  expect(llmError.message.startsWith(`[${expected.provider}] `)).toBe(true);
  if (llmError.retryAfterMs !== undefined) {
    expect(Number.isFinite(llmError.retryAfterMs) && llmError.retryAfterMs >= 0).toBe(true);
  }
}

/** Awaits a promise that must reject and returns the rejection. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error;
  }
  throw new Error(`expected a rejection, got ${describeValue(value)}`);
}

function describeValue(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value)?.slice(0, 300) ?? String(value);
  } catch {
    return String(value);
  }
}
