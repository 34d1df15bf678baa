import { LLMError, type LLMErrorKind } from '@ticketflow/core';
import { type Deadline, redactSecrets, sanitizeError } from '@ticketflow/core/adapter';
import { parseGeminiErrorBody, type GeminiErrorBody } from './parse-gemini-error-body.js';
import { parseRetryAfterHeader, parseRetryDelay } from './parse-retry-delay.js';

/** What the adapter saw of one request on the wire (filled by its fetch wrapper). */
export interface WireTrace {
  /** The request was handed to fetch. */
  sent: boolean;
  /** HTTP status, once response headers arrived. */
  status?: number;
  /** The `Retry-After` response header. */
  retryAfter?: string | null;
}

/** Everything the mapping needs besides the error. */
export interface GeminiFailureContext {
  provider: string;
  model: string;
  /** The API origin, for "cannot reach …" messages. */
  origin: string;
  /** Strings that must not appear in the error: the API key, header values, URL credentials. */
  secrets: readonly string[];
  deadline: Pick<Deadline, 'reason' | 'describe'>;
  wire: WireTrace;
}

const MAX_DETAIL_LENGTH = 500;

/**
 * Maps anything `generateContent` threw to an {@link LLMError}, by what happened rather
 * than by message text: our deadline fired → `timeout`; an SDK `ApiError` → its HTTP
 * status and google.rpc body ({@link kindOfHttpFailure}); a 2xx whose body the SDK could not
 * read → `unavailable`; a fetch that got no response → `unavailable`; an error before any
 * request (the SDK refused the parameters) → `invalid_request`. Message and cause are
 * redacted: the key never leaves.
 */
export function mapGeminiError(error: unknown, context: GeminiFailureContext): LLMError {
  const redact = (text: string) => redactSecrets(text, context.secrets, { maxLength: MAX_DETAIL_LENGTH });
  const cause = sanitizeError(error, context.secrets);
  const base = { provider: context.provider, cause };
  if (context.deadline.reason) return new LLMError({ ...base, kind: 'timeout', message: context.deadline.describe() });

  const apiStatus = apiErrorStatus(error);
  if (apiStatus !== undefined) {
    const body = parseGeminiErrorBody((error as Error).message);
    const kind = kindOfHttpFailure(apiStatus, body);
    const retryAfterMs =
      kind === 'rate_limited' || kind === 'quota_exhausted' || kind === 'unavailable'
        ? (parseRetryDelay(body.retryDelay) ?? parseRetryAfterHeader(context.wire.retryAfter))
        : undefined;
    const rpc = body.rpcStatus ? ` ${body.rpcStatus}` : '';
    const detail = body.json ? body.message : `non-JSON body: ${body.message.trim().slice(0, 200) || '(empty)'}`;
    return new LLMError({
      ...base,
      kind,
      status: apiStatus,
      retryAfterMs,
      message: redact(`HTTP ${apiStatus}${rpc}: ${detail}${hintFor(kind, body, context.model)}`),
    });
  }

  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (context.wire.status !== undefined) {
    return new LLMError({
      ...base,
      kind: 'unavailable',
      message: redact(`HTTP ${context.wire.status} with a body that is not a generateContent response (${reason})`),
    });
  }
  if (context.wire.sent) {
    return new LLMError({ ...base, kind: 'unavailable', message: redact(`cannot reach ${context.origin}: ${networkCode(error) ?? reason}`) });
  }
  return new LLMError({ ...base, kind: 'invalid_request', message: redact(`the request was not sent: ${reason}`) });
}

/**
 * The error itself when none of its text holds a secret, else a copy with the message
 * scrubbed and the cause rebuilt: an `LLMError` built from a response body (a block reason, a
 * finish message) passes the same scrubber as a mapped one.
 */
export function withoutSecrets(error: LLMError, secrets: readonly string[]): LLMError {
  const message = redactSecrets(error.message, secrets);
  if (message === error.message && error.cause === undefined) return error;
  const { kind, provider, retryable, status, retryAfterMs } = error;
  return new LLMError({ kind, provider, retryable, status, retryAfterMs, message, cause: sanitizeError(error.cause, secrets) });
}

/**
 * The kind of a non-2xx answer. Quota: 429 / `RESOURCE_EXHAUSTED` is `quota_exhausted` when a
 * `QuotaFailure` violation is a per-day quota, else `rate_limited`. Auth: 401, 403, or an
 * `ErrorInfo.reason` `API_KEY_*` (Gemini answers an invalid key with 400). A body that is
 * not JSON came from a proxy or gateway, not from the API judging the request: `unavailable`.
 */
export function kindOfHttpFailure(status: number, body: GeminiErrorBody): LLMErrorKind {
  if (status === 429 || body.rpcStatus === 'RESOURCE_EXHAUSTED') {
    return body.quotaIds.some((id) => /per[-_ ]?day|daily/i.test(id)) ? 'quota_exhausted' : 'rate_limited';
  }
  if (status === 401 || status === 403 || body.rpcStatus === 'UNAUTHENTICATED' || body.rpcStatus === 'PERMISSION_DENIED') return 'auth';
  if (body.reasons.some((reason) => reason.startsWith('API_KEY_'))) return 'auth';
  if (status === 408) return 'timeout';
  if (status >= 500 || !body.json) return 'unavailable';
  return 'invalid_request';
}

function hintFor(kind: LLMErrorKind, body: GeminiErrorBody, model: string): string {
  if (kind === 'auth') return ' (check the API key, e.g. GEMINI_API_KEY)';
  if (kind === 'invalid_request' && body.rpcStatus === 'NOT_FOUND') return ` (check the model name "${model}" and apiVersion)`;
  return '';
}

function apiErrorStatus(error: unknown): number | undefined {
  if (!(error instanceof Error) || error.name !== 'ApiError') return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

function networkCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
