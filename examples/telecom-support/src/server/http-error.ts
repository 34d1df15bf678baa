import { InvalidArgumentError, LLMError, StoreError, TicketStateError } from '@ticketflow/core';

/** The body of every error response (DESIGN §7). */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/**
 * An error with its HTTP answer. `retryAfterSeconds` adds a `Retry-After` header, `headers`
 * any other (e.g. `WWW-Authenticate` on a 401).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly retryAfterSeconds?: number,
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

/** How loud an error is in the logs: a client's mistake is `info`, our trouble `warn`/`error`. */
export type ErrorLevel = 'info' | 'warn' | 'error';

/** Seconds a client should wait before retrying, per kind of trouble. */
export interface RetryAfter {
  storeUnavailable: number;
  busy: number;
  unexpected: number;
}

export const DEFAULT_RETRY_AFTER: RetryAfter = { storeUnavailable: 5, busy: 1, unexpected: 5 };

const fastifyErrors: Record<string, (error: FastifyLikeError) => HttpError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => new HttpError(413, 'payload_too_large', 'The request body is larger than 64 KiB.'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new HttpError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.'),
  FST_ERR_CTP_INVALID_JSON_BODY: () =>
    new HttpError(400, 'invalid_json', 'The body is not valid JSON (keys like __proto__ and constructor.prototype are refused).'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new HttpError(400, 'invalid_json', 'The body is empty but Content-Type says JSON.'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new HttpError(400, 'bad_request', 'The body size does not match Content-Length.'),
  FST_ERR_BAD_URL: () => new HttpError(400, 'bad_url', 'The URL is not valid (bad percent-encoding?).'),
  FST_ERR_MAX_PARAM_LENGTH: () => new HttpError(414, 'bad_request', 'A path segment is longer than 8,192 characters.'),
  FST_ERR_VALIDATION: (error) =>
    new HttpError(400, 'invalid_request', error.message, {
      issues: (error.validation ?? []).slice(0, 10).map((issue) => {
        const keys = issue.keyword === 'unrecognized_keys' ? issue.params?.keys : undefined;
        return {
          path: `${error.validationContext ?? 'request'}${issue.instancePath === '/' ? '' : (issue.instancePath ?? '')}`,
          message: issue.message ?? 'is invalid',
          ...(Array.isArray(keys) ? { properties: keys.map(String).slice(0, 10) } : {}),
        };
      }),
    }),
};

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  message: string;
  validation?: { keyword?: string; instancePath?: string; message?: string; params?: Record<string, unknown> }[];
  validationContext?: string;
}

/** What a client may conclude from a failed store operation (DESIGN T7, `StoreError.outcome`). */
function storeOutcomeOf(error: StoreError): Record<string, unknown> {
  const unknown = error.outcome !== 'not_applied';
  return { outcome: unknown ? 'unknown' : 'not_applied', mayHaveBeenProcessed: unknown, safeToRetryWithSameMessageId: true };
}

const STORE_UNAVAILABLE_MESSAGES = {
  unknown:
    'The ticket store did not answer: the request may or may not have been applied. Retrying with the same messageId is safe (a message is processed at most once; an approval already applied answers 409).',
  not_applied: 'The ticket store cannot be reached right now; nothing was changed. Retry with the same messageId.',
};

/**
 * Maps any error to its HTTP answer. Nothing maps to a 500: the server's own trouble
 * (store down, contention, a bug) is a 503 with a code and `Retry-After`, so clients
 * and load balancers know to retry.
 */
export function toHttpError(error: unknown, retryAfter: RetryAfter = DEFAULT_RETRY_AFTER): { httpError: HttpError; level: ErrorLevel } {
  if (error instanceof HttpError) return { httpError: error, level: error.status >= 500 ? 'warn' : 'info' };
  if (InvalidArgumentError.isInstance(error)) {
    if (error.code === 'message_id_reused') {
      return {
        httpError: new HttpError(
          409,
          'message_id_reused',
          'This messageId was already used for another message; nothing was changed. Use a new messageId for a new message.',
          { argument: error.argument },
        ),
        level: 'info',
      };
    }
    return { httpError: new HttpError(400, 'invalid_argument', error.message, { argument: error.argument }), level: 'info' };
  }
  if (TicketStateError.isInstance(error)) {
    if (error.code === 'ticket_erased' || error.status === 'erased') {
      return { httpError: new HttpError(409, 'ticket_erased', 'The ticket was erased while this request was in flight; nothing was recorded.'), level: 'info' };
    }
    if (error.status === null) return { httpError: new HttpError(404, 'ticket_not_found', 'There is no ticket with this id.'), level: 'info' };
    return { httpError: new HttpError(409, 'ticket_state', error.message, { status: error.status }), level: 'info' };
  }
  if (StoreError.isInstance(error)) {
    switch (error.kind) {
      case 'unavailable': {
        const details = storeOutcomeOf(error);
        return {
          httpError: new HttpError(
            503,
            'store_unavailable',
            STORE_UNAVAILABLE_MESSAGES[details.outcome as 'unknown' | 'not_applied'],
            details,
            retryAfter.storeUnavailable,
          ),
          level: 'warn',
        };
      }
      case 'conflict':
        return {
          httpError: new HttpError(
            503,
            'ticket_busy',
            'The ticket is busy with another request; nothing was changed. Retry with the same messageId.',
            storeOutcomeOf(error),
            retryAfter.busy,
          ),
          level: 'warn',
        };
      case 'invalid':
        return { httpError: new HttpError(400, 'store_rejected', `The store refused the request: ${error.message}`), level: 'warn' };
      case 'corrupt':
        return {
          httpError: new HttpError(503, 'store_corrupt', 'The stored ticket cannot be read; an operator has to look at it.', undefined, retryAfter.unexpected),
          level: 'error',
        };
    }
  }
  if (LLMError.isInstance(error)) {
    return { httpError: new HttpError(503, 'llm_unavailable', 'The language model is unavailable.', undefined, retryAfter.unexpected), level: 'error' };
  }
  const candidate = error as FastifyLikeError | null;
  if (candidate && typeof candidate === 'object' && typeof candidate.code === 'string') {
    const mapped = fastifyErrors[candidate.code];
    if (mapped) return { httpError: mapped(candidate), level: 'info' };
  }
  if (candidate && typeof candidate === 'object' && typeof candidate.statusCode === 'number' && candidate.statusCode >= 400 && candidate.statusCode < 500) {
    return { httpError: new HttpError(candidate.statusCode, 'bad_request', 'The request could not be processed.'), level: 'info' };
  }
  return {
    httpError: new HttpError(503, 'internal_error', 'The service hit an unexpected problem; please retry shortly.', undefined, retryAfter.unexpected),
    level: 'error',
  };
}
