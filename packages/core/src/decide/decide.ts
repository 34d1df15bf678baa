import type { CircuitBreaker } from '../llm/circuit-breaker.js';
import { generateWithRetry, type LLMAttempt, type LLMRetryPolicy } from '../llm/generate-with-retry.js';
import type { LLM, LLMUsage } from '../llm/llm.js';
import { LLMError } from '../llm/llm-error.js';
import type { Decision } from './decision.js';
import { parseDecision } from './parse-decision.js';

/** One provider of the fallback chain with its circuit breaker. */
export interface ChainedLLM {
  llm: LLM;
  breaker: CircuitBreaker;
}

/** What deciding a turn produced. */
export type DecideOutcome =
  | { ok: true; decision: Decision; ignoredKeys: string[]; provider: string; model: string; latencyMs: number; usage: LLMUsage; attempts: LLMAttempt[] }
  | { ok: false; error: LLMError; latencyMs: number; usage: LLMUsage; attempts: LLMAttempt[]; skipped: string[] };

export interface DecideRequest {
  chain: readonly ChainedLLM[];
  prompt: string;
  jsonSchema: Record<string, unknown>;
  timeoutMs: number;
  policy: LLMRetryPolicy;
  maxOutputTokens?: number;
}

/**
 * Asks the chain for a decision (L2): each provider in order, skipping open circuits;
 * per provider, retries for retryable kinds and one re-ask when the output is invalid;
 * the first valid decision wins. When all fail, the last error comes back; never throws.
 */
export async function decide(request: DecideRequest): Promise<DecideOutcome> {
  const attempts: LLMAttempt[] = [];
  const skipped: string[] = [];
  const started = performance.now();
  let lastError: LLMError | undefined;
  const onAttempt = (attempt: LLMAttempt) => attempts.push(attempt);

  for (const { llm, breaker } of request.chain) {
    if (breaker.state === 'open') {
      skipped.push(llm.name);
      lastError ??= new LLMError({ kind: 'unavailable', provider: llm.name, message: 'circuit open: skipped' });
      continue;
    }
    const call = (prompt: string, purpose: LLMAttempt['purpose']) =>
      generateWithRetry({ llm, breaker, prompt, jsonSchema: request.jsonSchema, timeoutMs: request.timeoutMs, policy: request.policy, purpose, onAttempt, ...(request.maxOutputTokens ? { maxOutputTokens: request.maxOutputTokens } : {}) });

    const first = await call(request.prompt, 'decide');
    if (!first.ok) {
      lastError = first.error;
      continue;
    }
    let parsed = parseDecision(first.response.text);
    let response = first.response;
    if (!parsed.ok) {
      const second = await call(reaskPrompt(request.prompt, first.response.text, parsed.error), 're-ask');
      if (!second.ok) {
        lastError = second.error;
        continue;
      }
      response = second.response;
      parsed = parseDecision(second.response.text);
      if (!parsed.ok) {
        breaker.recordFailure();
        lastError = new LLMError({ kind: 'invalid_output', provider: llm.name, message: `invalid decision after one re-ask: ${parsed.error}` });
        attempts.push({ provider: llm.name, purpose: 're-ask', ok: false, latencyMs: 0, kind: 'invalid_output', retryable: false, message: lastError.message });
        continue;
      }
    }
    return {
      ok: true,
      decision: parsed.decision,
      ignoredKeys: parsed.ignoredKeys,
      provider: llm.name,
      model: response.model,
      latencyMs: Math.round(performance.now() - started),
      usage: sumUsage(attempts),
      attempts,
    };
  }
  return {
    ok: false,
    error: lastError ?? new LLMError({ kind: 'unavailable', provider: 'none', message: 'no LLM configured' }),
    latencyMs: Math.round(performance.now() - started),
    usage: sumUsage(attempts),
    attempts,
    skipped,
  };
}

function reaskPrompt(prompt: string, previous: string, error: string): string {
  const shown = previous.length > 500 ? `${previous.slice(0, 500)}…` : previous;
  return `${prompt}\n\n## Your previous answer was invalid\n${error}\nPrevious answer: ${shown}\nAnswer again with one JSON object only, matching the schema.`;
}

function sumUsage(attempts: readonly LLMAttempt[]): LLMUsage {
  let inputTokens = 0;
  let outputTokens = 0;
  for (const attempt of attempts) {
    inputTokens += attempt.usage?.inputTokens ?? 0;
    outputTokens += attempt.usage?.outputTokens ?? 0;
  }
  return { inputTokens, outputTokens };
}
