import type { OperationObserver } from '../events/instrumentation.js';
import type { LLMAttemptData } from '../events/ticket-event-map.js';
import { budgetRanOut, budgetSpent, callProvider, isBudgetSpent, type LLMRetryPolicy, type ShowContent } from './call-provider.js';
import type { CircuitBreaker, CircuitTransition } from '../llm/circuit-breaker.js';
import type { LLM, LLMUsage } from '../llm/llm.js';
import { LLMError } from '../llm/llm-error.js';
import type { Decision } from './decision.js';
import { parseDecision } from './parse-decision.js';

/** One provider of the fallback chain with its circuit breaker. */
export interface ChainedLLM {
  llm: LLM;
  breaker: CircuitBreaker;
}

/** A circuit change that happened during this decision, with its provider. */
export type ProviderTransition = CircuitTransition & { provider: string };

/** What deciding a turn produced: the decision or the last error, and everything that happened on the way. */
export type DecideOutcome = {
  latencyMs: number;
  usage: LLMUsage;
  attempts: LLMAttemptData[];
  /** Providers skipped because their circuit was open (recorded even when a later one answered). */
  skipped: string[];
  transitions: ProviderTransition[];
} & ({ ok: true; decision: Decision; ignoredKeys: string[]; provider: string; model: string } | { ok: false; error: LLMError });

/** What {@link decide} needs. */
export interface DecideRequest {
  chain: readonly ChainedLLM[];
  prompt: string;
  jsonSchema: Record<string, unknown>;
  timeoutMs: number;
  /** The most the whole decision may take (every provider, retry and re-ask); Infinity: no bound. */
  budgetMs: number;
  policy: LLMRetryPolicy;
  maxOutputTokens: number;
  observer: OperationObserver | undefined;
  /** The prompt and answer of an attempt as instrumentation may show them (P1). */
  showContent: ShowContent;
}

/**
 * Asks the chain for a decision (L2): each provider in order, skipping open circuits; per
 * provider, retries for retryable kinds and one re-ask when the answer is not a valid
 * decision; the first valid decision wins. An answer that is not a valid decision counts as
 * a failure of its provider for the circuit breaker, like an error. Never throws.
 */
export async function decide(request: DecideRequest): Promise<DecideOutcome> {
  const started = performance.now();
  const trace: DecideTrace = { attempts: [], skipped: [], transitions: [], deadlineAt: started + request.budgetMs };
  let lastError: LLMError | undefined;
  for (const { llm, breaker } of request.chain) {
    if (budgetRanOut(trace.deadlineAt)) {
      // Named after the provider that was asked last (this one never was).
      lastError = budgetSpent(lastError?.provider ?? llm.name, request.budgetMs);
      break;
    }
    const { state, transition } = breaker.check();
    if (transition) trace.transitions.push({ ...transition, provider: llm.name });
    if (!breaker.tryAcquire(state)) {
      trace.skipped.push(llm.name);
      request.observer?.providerSkipped?.(llm.name);
      lastError ??= new LLMError({ kind: 'unavailable', provider: llm.name, message: 'circuit open: skipped' });
      continue;
    }
    const answer = await askProvider(request, llm, breaker, trace);
    if (answer.ok) {
      const done = breaker.recordSuccess();
      if (done) trace.transitions.push({ ...done, provider: llm.name });
      return { ok: true, ...answer.value, ...trace, latencyMs: Math.round(performance.now() - started), usage: sumUsage(trace.attempts) };
    }
    lastError = answer.error;
    // A request cut by the turn's budget says nothing about the provider: its circuit is not charged.
    if (isBudgetSpent(answer.error)) {
      breaker.recordNeutral();
      continue;
    }
    const opened = breaker.recordFailure(`${answer.error.kind}: ${answer.error.message}`.slice(0, 200), backOff(answer.error));
    if (opened) trace.transitions.push({ ...opened, provider: llm.name });
  }
  return {
    ok: false,
    error: lastError ?? new LLMError({ kind: 'unavailable', provider: 'none', message: 'no LLM configured' }),
    ...trace,
    latencyMs: Math.round(performance.now() - started),
    usage: sumUsage(trace.attempts),
  };
}

interface DecideTrace {
  attempts: LLMAttemptData[];
  skipped: string[];
  transitions: ProviderTransition[];
  /** `performance.now()` time past which no request starts (the turn's LLM budget). */
  deadlineAt: number;
}

type ProviderAnswer = { ok: true; value: { decision: Decision; ignoredKeys: string[]; provider: string; model: string } } | { ok: false; error: LLMError };

/** One provider: the call (with its retries), then one re-ask when the answer is not a valid decision. */
async function askProvider(request: DecideRequest, llm: LLM, breaker: CircuitBreaker, trace: DecideTrace): Promise<ProviderAnswer> {
  const call = (prompt: string, purpose: 'decide' | 're-ask') =>
    callProvider({
      llm,
      prompt,
      purpose,
      jsonSchema: request.jsonSchema,
      timeoutMs: request.timeoutMs,
      deadlineAt: trace.deadlineAt,
      budgetMs: request.budgetMs,
      maxOutputTokens: request.maxOutputTokens,
      policy: request.policy,
      onAttempt: (attempt) => trace.attempts.push(attempt),
      observer: request.observer,
      showContent: request.showContent,
    });
  const first = await call(request.prompt, 'decide');
  if (!first.ok) return first;
  let parsed = parseDecision(first.response.text);
  let response = first.response;
  if (!parsed.ok) {
    // The answer came, but it is no decision: a failure of this provider (13.4), then one re-ask.
    const opened = breaker.recordFailure(`invalid_output: ${parsed.error}`.slice(0, 200));
    if (opened) trace.transitions.push({ ...opened, provider: llm.name });
    if (budgetRanOut(trace.deadlineAt)) return { ok: false, error: budgetSpent(llm.name, request.budgetMs) };
    const second = await call(reaskPrompt(request.prompt, first.response.text, parsed.error), 're-ask');
    if (!second.ok) return second;
    response = second.response;
    parsed = parseDecision(second.response.text);
    if (!parsed.ok) {
      const error = new LLMError({ kind: 'invalid_output', provider: llm.name, message: `invalid decision after one re-ask: ${parsed.error}` });
      trace.attempts.push({ provider: llm.name, purpose: 're-ask', latencyMs: 0, kind: 'invalid_output', retryable: false, message: error.message });
      return { ok: false, error };
    }
  }
  return { ok: true, value: { decision: parsed.decision, ignoredKeys: parsed.ignoredKeys, provider: llm.name, model: response.model } };
}

function backOff(error: LLMError): number | undefined {
  return error.kind === 'rate_limited' || error.kind === 'quota_exhausted' ? error.retryAfterMs : undefined;
}

function reaskPrompt(prompt: string, previous: string, error: string): string {
  const shown = previous.length > 500 ? `${previous.slice(0, 500)}…` : previous;
  return `${prompt}\n\n## Your previous answer was invalid\n${error}\nPrevious answer: ${shown}\nAnswer again with one JSON object only, matching the schema.`;
}

function sumUsage(attempts: readonly LLMAttemptData[]): LLMUsage {
  let inputTokens = 0;
  let outputTokens = 0;
  for (const attempt of attempts) {
    inputTokens += attempt.usage?.inputTokens ?? 0;
    outputTokens += attempt.usage?.outputTokens ?? 0;
  }
  return { inputTokens, outputTokens };
}
