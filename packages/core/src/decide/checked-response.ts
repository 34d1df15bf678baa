import { storableText } from '../model/json-value.js';
import type { LLM, LLMResponse, LLMUsage } from '../llm/llm.js';
import { LLMError } from '../llm/llm-error.js';

/** The longest answer read as a decision: an honest one is a few hundred characters (the core asks for 1 024 tokens). */
export const MAX_ANSWER_CHARS = 100_000;

/** The longest model name or finish reason kept (they name spans, events and metric attributes). */
const MAX_LABEL_CHARS = 200;

/**
 * An adapter's answer as the core uses it. An adapter — the app's own included (L1) — passes
 * on what a server sent, so the answer is checked like any foreign input:
 * - an answer cut off or stopped by safety never passes as a normal one (DESIGN §6);
 * - an answer without text, or one too long to be a decision, is `invalid_output`;
 * - token counts that are not non-negative finite numbers are dropped (they would corrupt
 *   `ticket.usage`, or make the ticket unstorable);
 * - a model name or finish reason that is not a string is dropped, a long one cut, one a
 *   store cannot hold (NUL, lone surrogates) made storable.
 */
export function checkedResponse(response: LLMResponse, provider: string): LLMResponse {
  if (typeof response !== 'object' || response === null || typeof response.text !== 'string') {
    throw new LLMError({ kind: 'invalid_output', provider, message: 'the adapter returned no text' });
  }
  const reason = label(response.finishReason)?.toLowerCase();
  if (reason === 'max_tokens' || reason === 'length')
    throw new LLMError({ kind: 'invalid_output', provider, message: 'the answer was cut off at the output token limit' });
  if (reason === 'safety' || reason === 'blocked' || reason === 'prohibited_content')
    throw new LLMError({ kind: 'blocked', provider, message: `the answer was stopped by the provider (${reason})` });
  if (response.text.length > MAX_ANSWER_CHARS)
    throw new LLMError({
      kind: 'invalid_output',
      provider,
      message: `the answer is ${response.text.length} characters long; a decision is at most ${MAX_ANSWER_CHARS}`,
    });
  if (isClean(response)) return response;
  const usage = checkedUsage(response.usage);
  const model = label(response.model);
  const finishReason = label(response.finishReason);
  return {
    text: response.text,
    model: model ?? provider,
    latencyMs: typeof response.latencyMs === 'number' && Number.isFinite(response.latencyMs) ? response.latencyMs : 0,
    ...(usage ? { usage } : {}),
    ...(finishReason !== undefined ? { finishReason } : {}),
  };
}

/** The usual case, checked without allocating. */
function isClean(response: LLMResponse): boolean {
  const { usage, model, finishReason } = response;
  return (
    isCleanLabel(model) &&
    (finishReason === undefined || isCleanLabel(finishReason)) &&
    (usage === undefined || (typeof usage === 'object' && usage !== null && isCount(usage.inputTokens) && isCount(usage.outputTokens)))
  );
}

/** A short string every store accepts (no NUL, no lone surrogate). */
function isCleanLabel(value: unknown): boolean {
  return typeof value === 'string' && value.length <= MAX_LABEL_CHARS && storableText(value) === value;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function checkedUsage(usage: unknown): LLMUsage | undefined {
  if (typeof usage !== 'object' || usage === null) return undefined;
  const { inputTokens, outputTokens } = usage as Record<string, unknown>;
  if (!isCount(inputTokens) || !isCount(outputTokens)) return undefined;
  return { inputTokens, outputTokens };
}

/**
 * The model an adapter says its requests ask for (`llm.model`, optional), as a label fit for
 * spans and metric attributes; `undefined` when it does not say, or says it with something
 * other than a string.
 */
export function requestedModel(llm: LLM): string | undefined {
  let model: unknown;
  try {
    model = llm.model;
  } catch {
    return undefined; // a getter that throws says nothing
  }
  return model === '' ? undefined : label(model);
}

function label(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return storableText(value.length > MAX_LABEL_CHARS ? value.slice(0, MAX_LABEL_CHARS) : value);
}
