import { LLMError, type LLMResponse } from '@ticketflow/core';

/** The part of an `/api/chat` answer the adapter reads (typed structurally). */
export interface OllamaChatBody {
  model?: string;
  message?: { content?: unknown };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: unknown;
}

/**
 * Turns a 200 `/api/chat` answer (`stream: false`) into an {@link LLMResponse}, or throws:
 * - no `message.content` string (not a chat answer, or `{"error": …}`) or `done: false`
 *   (a streaming chunk, not a whole answer) → `unavailable`;
 * - empty text → `invalid_output`;
 * - `done_reason: 'length'` (cut off at `num_predict`) → `invalid_output`;
 * - another `done_reason` than `stop` (e.g. `load`, `unload`) → `invalid_output`.
 *
 * Usage: `prompt_eval_count` → `inputTokens` (Ollama omits it when the prompt was cached:
 * then 0), `eval_count` → `outputTokens`.
 */
export function readOllamaResponse(body: OllamaChatBody, context: { provider: string; model: string; latencyMs: number }): LLMResponse {
  const fail = (kind: 'invalid_output' | 'unavailable', message: string) => new LLMError({ kind, provider: context.provider, status: 200, message });
  if (typeof body !== 'object' || body === null || typeof body.message?.content !== 'string') {
    const reported = typeof body?.error === 'string' ? `: Ollama reported "${body.error.slice(0, 300)}"` : '';
    throw fail('unavailable', `HTTP 200 with a body that is not an /api/chat response${reported}`);
  }
  if (body.done === false) throw fail('unavailable', 'HTTP 200 with a partial (streaming) chunk instead of a whole /api/chat answer');
  const reason = body.done_reason;
  if (reason === 'length') throw fail('invalid_output', 'the answer was cut off at num_predict (maxOutputTokens; done_reason "length")');
  if (reason !== undefined && reason !== 'stop') throw fail('invalid_output', `the answer stopped abnormally (done_reason "${String(reason).slice(0, 80)}")`);

  if (body.message.content.trim() === '') throw fail('invalid_output', 'the answer has no text');
  const response: LLMResponse = {
    text: body.message.content,
    model: typeof body.model === 'string' && body.model !== '' && body.model.length <= 200 ? body.model : context.model,
    latencyMs: context.latencyMs,
  };
  const count = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined);
  const input = count(body.prompt_eval_count);
  const output = count(body.eval_count);
  if (input !== undefined || output !== undefined) response.usage = { inputTokens: input ?? 0, outputTokens: output ?? 0 };
  if (reason) response.finishReason = reason;
  return response;
}
