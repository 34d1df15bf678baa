import pRetry, { AbortError } from 'p-retry';
import { backoffDelay, sleep } from '../util/sleep.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { LLM, LLMResponse, LLMUsage } from './llm.js';
import { type LLMErrorKind, LLMError } from './llm-error.js';

/** The core's one visible retry policy for LLM calls. */
export interface LLMRetryPolicy {
  /** Retries of a retryable failure per provider and call (default 2). */
  retries: number;
  /** First backoff delay; doubles per retry, with jitter (default 250 ms). */
  minDelayMs: number;
  /** Cap of the backoff delay (default 2 000 ms). */
  maxDelayMs: number;
  /**
   * A provider's retry hint (`retryAfterMs`) longer than this is not waited for within a
   * turn: the chain moves to the next provider instead (default 5 000 ms).
   */
  maxHintDelayMs: number;
}

export const DEFAULT_LLM_RETRY: LLMRetryPolicy = { retries: 2, minDelayMs: 250, maxDelayMs: 2_000, maxHintDelayMs: 5_000 };

/** One request to a provider, as recorded in the `llm.called` / `llm.failed` events. */
export interface LLMAttempt {
  provider: string;
  purpose: 'decide' | 're-ask';
  ok: boolean;
  latencyMs: number;
  model?: string;
  usage?: LLMUsage;
  finishReason?: string;
  kind?: LLMErrorKind;
  retryable?: boolean;
  status?: number;
  message?: string;
}

export interface GenerateRequest {
  llm: LLM;
  breaker: CircuitBreaker;
  prompt: string;
  jsonSchema: Record<string, unknown>;
  timeoutMs: number;
  policy: LLMRetryPolicy;
  purpose: LLMAttempt['purpose'];
  onAttempt: (attempt: LLMAttempt) => void;
  maxOutputTokens?: number;
}

/**
 * Calls one provider with timeouts, retries (retryable kinds only, backoff with jitter,
 * never sooner than the provider's hint) and its circuit breaker. Never throws: any
 * failure comes back as an `LLMError`.
 */
export async function generateWithRetry(request: GenerateRequest): Promise<{ ok: true; response: LLMResponse } | { ok: false; error: LLMError }> {
  const { llm, policy } = request;
  // The first attempt runs bare: a healthy provider — or one failing for good — costs no
  // retry machinery.
  try {
    return { ok: true, response: await attemptOnce(request) };
  } catch (thrown) {
    const error = toLLMError(thrown, llm.name);
    if (!canRetry(error, policy) || policy.retries === 0 || circuitRefusals.has(error)) return { ok: false, error };
    try {
      await sleep(retryDelay(1, error, policy));
      const response = await pRetry(
        async () => {
          try {
            return await attemptOnce(request);
          } catch (next) {
            const failure = toLLMError(next, llm.name);
            throw canRetry(failure, policy) && !circuitRefusals.has(failure) ? failure : new AbortError(failure);
          }
        },
        {
          retries: policy.retries - 1,
          minTimeout: 0,
          shouldRetry: async ({ error: next, attemptNumber }) => {
            await sleep(retryDelay(attemptNumber + 1, next, policy));
            return true;
          },
        },
      );
      return { ok: true, response };
    } catch (retried) {
      return { ok: false, error: toLLMError(retried, llm.name) };
    }
  }
}

/** Retryable, and the provider's hint (if any) is short enough to wait for within a turn. */
function canRetry(error: LLMError, policy: LLMRetryPolicy): boolean {
  return error.retryable && (error.retryAfterMs ?? 0) <= policy.maxHintDelayMs;
}

/** Backoff with jitter, never sooner than the provider's hint. */
function retryDelay(attempt: number, error: unknown, policy: LLMRetryPolicy): number {
  const hint = LLMError.isInstance(error) ? (error.retryAfterMs ?? 0) : 0;
  return Math.max(hint, backoffDelay(attempt, policy.minDelayMs, policy.maxDelayMs));
}

/** Refusals by an open circuit: never retried (the breaker decides when to try again). */
const circuitRefusals = new WeakSet<object>();

/** One request through the circuit breaker, recorded as an attempt. Throws the `LLMError`. */
async function attemptOnce(request: GenerateRequest): Promise<LLMResponse> {
  const { llm, breaker } = request;
  if (!breaker.tryAcquire()) {
    const refusal = new LLMError({ kind: 'unavailable', provider: llm.name, message: 'circuit open: the provider failed repeatedly and is cooling down' });
    circuitRefusals.add(refusal);
    throw refusal;
  }
  const started = performance.now();
  try {
    const response = await callOnce(request);
    breaker.recordSuccess();
    request.onAttempt({
      provider: llm.name,
      purpose: request.purpose,
      ok: true,
      latencyMs: roundMs(performance.now() - started),
      model: response.model,
      ...(response.usage ? { usage: response.usage } : {}),
      ...(response.finishReason ? { finishReason: response.finishReason } : {}),
    });
    return response;
  } catch (thrown) {
    const error = toLLMError(thrown, llm.name);
    const backOff = error.kind === 'rate_limited' || error.kind === 'quota_exhausted' ? error.retryAfterMs : undefined;
    breaker.recordFailure(backOff);
    request.onAttempt({
      provider: llm.name,
      purpose: request.purpose,
      ok: false,
      latencyMs: roundMs(performance.now() - started),
      kind: error.kind,
      retryable: error.retryable,
      ...(error.status !== undefined ? { status: error.status } : {}),
      message: error.message,
    });
    throw error;
  }
}

/**
 * One `generate` under the timeout. The adapter gets `timeoutMs` and aborts its own request
 * (the LLM contract); the core's timer guarantees the turn moves on even if it does not — a
 * call that ignores the deadline is abandoned, not awaited. (The core has no caller signal
 * to pass on: creating an AbortController per call would cost more than the turn's logic.)
 */
async function callOnce(request: GenerateRequest): Promise<LLMResponse> {
  const { llm, timeoutMs } = request;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LLMError({ kind: 'timeout', provider: llm.name, message: `no answer within ${timeoutMs} ms` })), timeoutMs);
  });
  expired.catch(() => undefined);
  try {
    const pending = llm.generate(request.prompt, {
      timeoutMs,
      jsonSchema: request.jsonSchema,
      temperature: 0,
      ...(request.maxOutputTokens ? { maxOutputTokens: request.maxOutputTokens } : {}),
    });
    const response = await Promise.race([pending, expired]);
    return refuseUnfinished(response, llm.name);
  } finally {
    clearTimeout(timer);
  }
}

/** An answer cut off or stopped by safety never passes as a normal answer (DESIGN §6). */
function refuseUnfinished(response: LLMResponse, provider: string): LLMResponse {
  if (typeof response !== 'object' || response === null || typeof response.text !== 'string') {
    throw new LLMError({ kind: 'invalid_output', provider, message: 'the adapter returned no text' });
  }
  const reason = response.finishReason?.toLowerCase();
  if (reason === 'max_tokens' || reason === 'length') {
    throw new LLMError({ kind: 'invalid_output', provider, message: 'the answer was cut off at the output token limit' });
  }
  if (reason === 'safety' || reason === 'blocked' || reason === 'prohibited_content') {
    throw new LLMError({ kind: 'blocked', provider, message: `the answer was stopped by the provider (${reason})` });
  }
  return response;
}

/** Any failure as an `LLMError`: adapters should throw one, but a bug must not escape. */
export function toLLMError(error: unknown, provider: string): LLMError {
  if (LLMError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new LLMError({ kind: 'unavailable', provider, message: `unexpected adapter failure: ${message}`, cause: error });
}

function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
