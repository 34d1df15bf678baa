import { LLMError, type LLMResponse, type LLMUsage } from '@ticketflow/core';

/** The part of a `GenerateContentResponse` the adapter reads (typed structurally). */
export interface GeminiResponseBody {
  candidates?: {
    content?: { parts?: { text?: string; thought?: boolean }[] };
    finishReason?: string;
    safetyRatings?: { category?: string; blocked?: boolean }[];
  }[];
  promptFeedback?: { blockReason?: string; blockReasonMessage?: string };
  usageMetadata?: { promptTokenCount?: number; candidatesTokenCount?: number; thoughtsTokenCount?: number };
  modelVersion?: string;
}

/** Finish reasons that mean a filter stopped the answer: `blocked`. */
const BLOCKING_FINISH_REASONS = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/**
 * Turns a 200 answer into an {@link LLMResponse}, or throws:
 * - no candidates and a `promptFeedback` (the prompt was blocked) → `blocked`;
 * - no candidates and no feedback (not a generateContent answer) → `unavailable`;
 * - a candidate stopped by a filter (`SAFETY`, `PROHIBITED_CONTENT`, …) → `blocked`;
 * - `MAX_TOKENS` (thinking tokens count too) or any other abnormal stop → `invalid_output`;
 * - no text (no text part, or only whitespace) → `invalid_output`.
 *
 * Usage: `promptTokenCount` → `inputTokens`; `candidatesTokenCount + thoughtsTokenCount` →
 * `outputTokens` (thinking is billed as output and counts against `maxOutputTokens`).
 */
export function readGeminiResponse(body: GeminiResponseBody, context: { provider: string; model: string; latencyMs: number }): LLMResponse {
  const fail = (kind: 'blocked' | 'invalid_output' | 'unavailable', message: string) =>
    new LLMError({ kind, provider: context.provider, status: 200, message });
  if (typeof body !== 'object' || body === null) throw fail('unavailable', 'HTTP 200 with a body that is not a generateContent response');
  const candidate = Array.isArray(body.candidates) ? body.candidates[0] : undefined;
  const feedback = body.promptFeedback;
  if (feedback?.blockReason || (!candidate && feedback)) {
    const reason = [feedback.blockReason, feedback.blockReasonMessage].filter(Boolean).join(': ') || 'no reason given';
    throw fail('blocked', `the prompt was blocked (${reason})`);
  }
  if (!candidate) throw fail('unavailable', 'HTTP 200 without candidates or promptFeedback: not a generateContent response');
  if (typeof candidate !== 'object') throw fail('unavailable', 'HTTP 200 with a candidate that is not an object: not a generateContent response');

  const finishReason = candidate.finishReason;
  if (finishReason !== undefined && finishReason !== null && typeof finishReason !== 'string')
    throw fail('invalid_output', 'the answer has a finishReason that is not a string');
  if (finishReason && BLOCKING_FINISH_REASONS.has(finishReason)) {
    const categories = blockedCategories(candidate.safetyRatings);
    throw fail('blocked', `the answer was stopped by ${finishReason}${categories.length > 0 ? ` (${categories.join(', ')})` : ''}`);
  }
  if (finishReason === 'MAX_TOKENS') {
    throw fail(
      'invalid_output',
      'the answer was cut off at maxOutputTokens (MAX_TOKENS; thinking tokens count too): raise maxOutputTokens or lower thinkingBudget',
    );
  }
  if (finishReason && finishReason !== 'STOP') throw fail('invalid_output', `the answer stopped abnormally (finishReason ${finishReason})`);

  const given = candidate.content?.parts;
  const parts = (Array.isArray(given) ? given : []).filter((part) => typeof part?.text === 'string' && !part.thought);
  const text = parts.map((part) => part.text).join('');
  if (text.trim() === '') throw fail('invalid_output', `the answer has no text (finishReason ${finishReason ?? 'none'})`);
  const response: LLMResponse = {
    text,
    model: typeof body.modelVersion === 'string' && body.modelVersion !== '' && body.modelVersion.length <= 200 ? body.modelVersion : context.model,
    latencyMs: context.latencyMs,
  };
  const usage = readUsage(body.usageMetadata);
  if (usage) response.usage = usage;
  if (finishReason) response.finishReason = finishReason.toLowerCase();
  return response;
}

/** The categories a filter blocked, from `safetyRatings` of any shape (foreign input). */
function blockedCategories(ratings: unknown): string[] {
  if (!Array.isArray(ratings)) return [];
  return ratings
    .filter((rating): rating is { category?: unknown; blocked?: unknown } => typeof rating === 'object' && rating !== null && rating.blocked === true)
    .map((rating) => (typeof rating.category === 'string' ? rating.category.slice(0, 80) : 'unknown category'));
}

function readUsage(metadata: GeminiResponseBody['usageMetadata']): LLMUsage | undefined {
  if (!metadata) return undefined;
  const count = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0);
  return {
    inputTokens: count(metadata.promptTokenCount),
    outputTokens: count(metadata.candidatesTokenCount) + count(metadata.thoughtsTokenCount),
  };
}
