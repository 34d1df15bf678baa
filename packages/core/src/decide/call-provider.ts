import type { LLMAttemptData } from '../events/ticket-event-map.js';
import type { OperationObserver } from '../events/instrumentation.js';
import { redactSecrets } from '../errors/redact.js';
import { sanitizeError } from '../errors/sanitize-error.js';
import { withDeadline } from '../util/deadline.js';
import { withRetries } from '../util/retry.js';
import type { LLM, LLMResponse } from '../llm/llm.js';
import { LLMError } from '../llm/llm-error.js';
import { checkedResponse, requestedModel } from './checked-response.js';

/** The core's one visible retry policy for LLM calls. */
export interface LLMRetryPolicy {
  /** Retries of a retryable failure per provider and call (default 2). */
  retries: number;
  /** First backoff delay; doubles per retry, randomised (default 250 ms). */
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

/** One request of a turn to one provider. */
export interface ProviderCall {
  llm: LLM;
  prompt: string;
  jsonSchema: Record<string, unknown>;
  timeoutMs: number;
  /** `performance.now()` time past which no request starts and none runs on (the turn's LLM budget). */
  deadlineAt: number;
  /** The turn's LLM budget, for the error that says it ran out. */
  budgetMs: number;
  maxOutputTokens: number;
  policy: LLMRetryPolicy;
  purpose: 'decide' | 're-ask';
  /** Receives every attempt, for the `llm.called` / `llm.failed` events. */
  onAttempt: (attempt: LLMAttemptData) => void;
  observer: OperationObserver | undefined;
  /** The prompt and answer as instrumentation may show them (P1), see {@link ShowContent}. */
  showContent: ShowContent;
}

/** Masks in a prompt and an answer the values the answer names for sensitive slots (P1); called only for an observer. */
export type ShowContent = (prompt: string, answer: string | undefined) => { prompt: string; text: string | undefined };

/**
 * Calls one provider under the timeout, retrying retryable failures (backoff with jitter,
 * never sooner than the provider's hint, and not at all when the hint is longer than a turn
 * may wait). Resolves with the response or the last `LLMError`; never throws.
 */
export async function callProvider(call: ProviderCall): Promise<{ ok: true; response: LLMResponse } | { ok: false; error: LLMError }> {
  try {
    const response = await withRetries((attempt) => attemptOnce(call, attempt), {
      policy: call.policy,
      canRetry: (error) =>
        LLMError.isInstance(error) &&
        error.retryable &&
        (error.retryAfterMs ?? 0) <= call.policy.maxHintDelayMs &&
        performance.now() + (error.retryAfterMs ?? 0) < call.deadlineAt,
      hintMs: (error) => (LLMError.isInstance(error) ? error.retryAfterMs : undefined),
      until: call.deadlineAt,
    });
    return { ok: true, response };
  } catch (error) {
    return { ok: false, error: toLLMError(error, call.llm.name) };
  }
}

/** One request, recorded as an attempt. Throws the `LLMError`. */
async function attemptOnce(call: ProviderCall, attempt: number): Promise<LLMResponse> {
  const { llm } = call;
  // No request starts once the turn's budget is spent (and none is recorded: nothing was sent).
  if (budgetRanOut(call.deadlineAt)) throw budgetSpent(llm.name, call.budgetMs);
  const model = call.observer?.llmAttempt ? requestedModel(llm) : undefined;
  const observed = call.observer?.llmAttempt?.({
    provider: llm.name,
    ...(model !== undefined ? { model } : {}),
    purpose: call.purpose,
    attempt,
    prompt: call.prompt,
  });
  const started = performance.now();
  try {
    const response = checkedResponse(await (observed?.run ? observed.run(() => request(call)) : request(call)), llm.name);
    const latencyMs = roundMs(performance.now() - started);
    call.onAttempt({
      provider: llm.name,
      purpose: call.purpose,
      latencyMs,
      model: response.model,
      ...(response.usage ? { usage: response.usage } : {}),
      ...(response.finishReason ? { finishReason: response.finishReason } : {}),
    });
    if (observed) {
      const shown = call.showContent(call.prompt, response.text);
      observed.ended({
        ok: true,
        model: response.model,
        ...(response.usage ? { usage: response.usage } : {}),
        latencyMs,
        text: shown.text,
        prompt: shown.prompt,
      });
    }
    return response;
  } catch (thrown) {
    const error = toLLMError(thrown, llm.name);
    const latencyMs = roundMs(performance.now() - started);
    call.onAttempt({
      provider: llm.name,
      purpose: call.purpose,
      latencyMs,
      kind: error.kind,
      retryable: error.retryable,
      ...(error.status !== undefined ? { status: error.status } : {}),
      message: error.message,
    });
    if (observed) observed.ended({ ok: false, errorKind: error.kind, latencyMs, prompt: call.showContent(call.prompt, undefined).prompt });
    throw error;
  }
}

/**
 * One `generate` under the deadline. The adapter gets `timeoutMs` and the deadline's signal
 * and aborts its own request (the LLM contract); the race guarantees the turn moves on even
 * if it does not — a call that ignores the deadline is abandoned, not awaited.
 */
async function request(call: ProviderCall): Promise<LLMResponse> {
  const { llm } = call;
  // A request never runs past the turn's LLM budget: it gets what is left, when that is less.
  const left = Math.ceil(call.deadlineAt - performance.now());
  const cut = left < call.timeoutMs;
  const timeoutMs = Math.max(1, Math.min(call.timeoutMs, left));
  const deadline = withDeadline(timeoutMs);
  const timedOut = () =>
    cut ? budgetSpent(llm.name, call.budgetMs) : new LLMError({ kind: 'timeout', provider: llm.name, message: `no answer within ${timeoutMs} ms` });
  try {
    const pending = Promise.resolve().then(() =>
      llm.generate(call.prompt, { timeoutMs, signal: deadline.signal, jsonSchema: call.jsonSchema, temperature: 0, maxOutputTokens: call.maxOutputTokens }),
    );
    return await deadline.race(pending, timedOut);
  } catch (error) {
    // The adapter honoured the cut deadline with its own timeout error: it is the budget's too.
    if (cut && LLMError.isInstance(error) && error.kind === 'timeout' && budgetRanOut(call.deadlineAt)) throw timedOut();
    throw error;
  } finally {
    deadline.dispose();
  }
}

/**
 * How early a timer may fire by `performance.now()`: Node times timers on the event loop's
 * cached clock, so an adapter's timeout set to the budget's end can fire up to about a
 * millisecond before it. Within this of the end, the budget counts as spent.
 */
const TIMER_EARLY_MS = 2;

/** Whether the turn's LLM budget, ending at `deadlineAt` (`performance.now()` time), has run out. */
export function budgetRanOut(deadlineAt: number): boolean {
  return performance.now() >= deadlineAt - TIMER_EARLY_MS;
}

/** Errors that say the turn's LLM budget ran out — not the provider's fault (its circuit is not charged). */
const budgetErrors = new WeakSet<LLMError>();

/** The error of a request cut, or not started, because the turn's LLM budget ran out. */
export function budgetSpent(provider: string, budgetMs: number): LLMError {
  const error = new LLMError({ kind: 'timeout', provider, retryable: false, message: `the turn's LLM budget of ${budgetMs} ms ran out` });
  budgetErrors.add(error);
  return error;
}

/** True for an error of {@link budgetSpent}. */
export function isBudgetSpent(error: LLMError): boolean {
  return budgetErrors.has(error);
}

/** Any failure as an `LLMError`: adapters should throw one, but a bug must not escape. */
export function toLLMError(error: unknown, provider: string): LLMError {
  if (LLMError.isInstance(error)) return error;
  // An adapter bug must not carry a secret into events either: scrub URL passwords, `key=` parameters, echoed headers.
  const message = redactSecrets(error instanceof Error ? error.message : String(error), [], { maxLength: 500 });
  return new LLMError({ kind: 'unavailable', provider, message: `unexpected adapter failure: ${message}`, cause: sanitizeError(error, []) });
}

function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
