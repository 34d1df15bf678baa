import { LLMError, type LLMErrorKind } from '@ticketflow/core';
import { type Deadline, redactSecrets, sanitizeError } from '@ticketflow/core/adapter';
import { OllamaHttpError } from './ollama-http-error.js';
import { parseRetryAfter } from './parse-retry-after.js';

/** What the adapter saw of one request on the wire (filled by its fetch wrapper). */
export interface WireTrace {
  /** The request was handed to fetch. */
  sent: boolean;
  /** HTTP status, once response headers arrived. */
  status?: number;
}

/** Everything the mapping needs besides the error. */
export interface OllamaFailureContext {
  provider: string;
  model: string;
  /** The Ollama host, for messages (credentials are redacted). */
  host: string;
  /** Strings that must not appear in the error: header values (a bearer token), URL credentials. */
  secrets: readonly string[];
  deadline: Pick<Deadline, 'reason' | 'describe'>;
  wire: WireTrace;
}

const MAX_MESSAGE_LENGTH = 500;

/**
 * Maps anything the ollama client threw to an {@link LLMError}, by what happened: our
 * deadline fired → `timeout`; a non-2xx answer → {@link kindOfOllamaStatus}; a 2xx whose body
 * is not JSON → `unavailable`; no response at all (refused, reset) → `unavailable` with a hint
 * to start Ollama; an error before any request → `invalid_request`.
 */
export function mapOllamaError(error: unknown, context: OllamaFailureContext): LLMError {
  const redact = (text: string) => redactSecrets(text, context.secrets, { maxLength: MAX_MESSAGE_LENGTH });
  const base = { provider: context.provider, cause: sanitizeError(error, context.secrets) };
  if (context.deadline.reason) return new LLMError({ ...base, kind: 'timeout', message: context.deadline.describe() });

  const http = httpFailure(error);
  if (http) {
    const parsed = parseErrorBody(http.body);
    const kind = kindOfOllamaStatus(http.status, parsed.json);
    const retryAfterMs = kind === 'rate_limited' || kind === 'unavailable' ? parseRetryAfter(http.retryAfter) : undefined;
    const detail = parsed.json ? parsed.message : `non-JSON body: ${parsed.message.trim().slice(0, 200) || '(empty)'}`;
    const hint = http.status === 404 && parsed.json ? ` (is the model pulled? run \`ollama pull ${context.model}\` on ${context.host})` : '';
    return new LLMError({ ...base, kind, status: http.status, retryAfterMs, message: redact(`HTTP ${http.status}: ${detail}${hint}`) });
  }

  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (context.wire.status !== undefined) {
    return new LLMError({
      ...base,
      kind: 'unavailable',
      message: redact(`HTTP ${context.wire.status} with a body that is not an /api/chat response (${reason})`),
    });
  }
  if (context.wire.sent) {
    const code = networkCode(error) ?? reason;
    return new LLMError({
      ...base,
      kind: 'unavailable',
      message: redact(`cannot reach Ollama at ${context.host} (${code}): is it running (\`ollama serve\`)?`),
    });
  }
  return new LLMError({ ...base, kind: 'invalid_request', message: redact(`the request was not sent: ${reason}`) });
}

/**
 * The error itself when none of its text holds a secret, else a copy with the message
 * scrubbed and the cause rebuilt: an `LLMError` built from a response body passes the same
 * scrubber as a mapped one.
 */
export function withoutSecrets(error: LLMError, secrets: readonly string[]): LLMError {
  const message = redactSecrets(error.message, secrets);
  if (message === error.message && error.cause === undefined) return error;
  const { kind, provider, retryable, status, retryAfterMs } = error;
  return new LLMError({ kind, provider, retryable, status, retryAfterMs, message, cause: sanitizeError(error.cause, secrets) });
}

/**
 * The kind of a non-2xx answer: 400 and 404 (model not pulled) `invalid_request`,
 * 401/403 `auth` (a proxy or ollama.com), 408 `timeout`, 429 `rate_limited`, 5xx
 * `unavailable`. A body that is not Ollama's `{"error": …}` JSON came from something in
 * front of it: `unavailable`.
 */
export function kindOfOllamaStatus(status: number, json: boolean): LLMErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500 || !json) return 'unavailable';
  return 'invalid_request';
}

function httpFailure(error: unknown): { status: number; body: string; retryAfter: string | null } | undefined {
  if (error instanceof OllamaHttpError) return error;
  // The client's own ResponseError (not exported): recognised by shape.
  const { name, status_code: status, error: message } = (error ?? {}) as { name?: unknown; status_code?: unknown; error?: unknown };
  if (name === 'ResponseError' && typeof status === 'number') return { status, body: JSON.stringify({ error: String(message) }), retryAfter: null };
  return undefined;
}

function parseErrorBody(body: string): { json: boolean; message: string } {
  try {
    const parsed = JSON.parse(body) as unknown;
    const message = (parsed as { error?: unknown } | null)?.error;
    return { json: true, message: typeof message === 'string' ? message : body };
  } catch {
    return { json: false, message: body };
  }
}

function networkCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
