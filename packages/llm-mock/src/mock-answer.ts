import type { LLMError, LLMErrorKind, LLMUsage } from '@ticketflow/core';

/** A decision the mock returns as JSON text. */
export interface MockDecision {
  intent: string | null;
  confidence: number;
  entities?: Record<string, unknown>;
}

/**
 * One answer of the mock, for one `generate` call:
 * - a string: returned as the raw text (use it for invalid JSON, fences, prose);
 * - a {@link MockDecision}: returned as its JSON;
 * - `{ error }`: rejects with an `LLMError` of that kind (or the given error);
 * - `{ hang: true }`: never answers; rejects with `timeout` when the call's signal aborts;
 * - `{ text, finishReason?, usage?, model? }`: a raw answer with metadata (e.g. `max_tokens`);
 * - `{ delayMs, then }`: waits, then answers `then`.
 */
export type MockAnswer =
  | string
  | MockDecision
  | { error: LLMErrorKind | LLMError; message?: string; retryAfterMs?: number; retryable?: boolean }
  | { hang: true }
  | { text: string; finishReason?: string; usage?: LLMUsage; model?: string }
  | { delayMs: number; then: MockAnswer };

/** How the mock may answer: a fixed list consumed in order, a function, or rules. */
export type MockResponder = (prompt: string, call: MockCall) => MockAnswer | Promise<MockAnswer>;

/** One recorded call. */
export interface MockCall {
  /** 1-based index of the call. */
  index: number;
  prompt: string;
  /** The latest customer message found in the prompt (or null). */
  message: string | null;
  options: { jsonSchema?: Record<string, unknown>; temperature?: number; maxOutputTokens?: number; timeoutMs?: number };
  /** How the call ended: `answered`, an error kind, `aborted`. Set when it settles. */
  outcome?: string;
}
