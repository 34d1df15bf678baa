import { didYouMean } from '../config/closest-name.js';
import { hasErrorMarker, markError, TicketflowError } from '../errors/ticketflow-error.js';

/**
 * The failure taxonomy every LLM adapter maps its wire errors to (DESIGN §6).
 *
 * | kind              | meaning                                              | retryable by default |
 * |-------------------|------------------------------------------------------|----------------------|
 * | `rate_limited`    | too many requests now (HTTP 429, per-minute quota)   | yes                  |
 * | `quota_exhausted` | a longer quota is used up (per-day, billing)         | no                   |
 * | `timeout`         | no answer in time, or the caller aborted             | yes                  |
 * | `unavailable`     | refused connection, 5xx, overloaded, non-JSON body   | yes                  |
 * | `auth`            | invalid or missing API key, permission denied        | no                   |
 * | `invalid_request` | the provider rejected the request (400, 404 model)   | no                   |
 * | `blocked`         | the prompt or the answer was blocked by safety rules | no                   |
 * | `invalid_output`  | the answer is cut off, not JSON, or fails the schema | no                   |
 */
export type LLMErrorKind = 'rate_limited' | 'quota_exhausted' | 'timeout' | 'unavailable' | 'auth' | 'invalid_request' | 'blocked' | 'invalid_output';

/** Every kind, in a stable order (for tests and exhaustive tables). */
export const LLM_ERROR_KINDS: readonly LLMErrorKind[] = [
  'rate_limited',
  'quota_exhausted',
  'timeout',
  'unavailable',
  'auth',
  'invalid_request',
  'blocked',
  'invalid_output',
];

const retryableByDefault: Record<LLMErrorKind, boolean> = {
  rate_limited: true,
  quota_exhausted: false,
  timeout: true,
  unavailable: true,
  auth: false,
  invalid_request: false,
  blocked: false,
  invalid_output: false,
};

/** Options of {@link LLMError}; one object, as every ticketflow error. */
export interface LLMErrorOptions {
  kind: LLMErrorKind;
  /** The adapter's `name` (`gemini`, `ollama`, `mock`, …). */
  provider: string;
  /** What went wrong, without secrets. Prefixed with `[provider]` automatically. */
  message: string;
  /** Overrides the default of the kind (see the table on {@link LLMErrorKind}). */
  retryable?: boolean | undefined;
  /** HTTP status, when there was one. */
  status?: number | undefined;
  /** The provider asked to wait this long before retrying (e.g. Gemini `RetryInfo`). */
  retryAfterMs?: number | undefined;
  /** The underlying error; must not contain secrets either. */
  cause?: unknown | undefined;
}

const llmErrorMarker = Symbol.for('ticketflow.error.llm');

/**
 * A failed LLM call, mapped to the taxonomy of {@link LLMErrorKind}.
 *
 * The core's retry policy reads only `retryable` (and `retryAfterMs` as a lower bound of
 * the delay). Recognise it with {@link LLMError.isInstance}.
 *
 * @example
 * ```ts
 * throw new LLMError({ kind: 'rate_limited', provider: 'gemini', message: 'quota per minute', retryAfterMs: 26_000 });
 * ```
 */
export class LLMError extends TicketflowError {
  readonly kind: LLMErrorKind;
  readonly retryable: boolean;
  readonly provider: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  /** @throws {TypeError} for a `kind` outside {@link LLM_ERROR_KINDS} (a misspelt kind would change how the call is retried). */
  constructor(options: LLMErrorOptions) {
    if (!Object.hasOwn(retryableByDefault, options?.kind)) throw new TypeError(unknownKindMessage(options?.kind));
    const prefix = `[${options.provider}] `;
    const message = options.message.startsWith(prefix) ? options.message : `${prefix}${options.message}`;
    super({ code: `llm_${options.kind}`, message, cause: options.cause });
    this.name = 'LLMError';
    this.kind = options.kind;
    this.provider = options.provider;
    this.retryable = options.retryable ?? retryableByDefault[options.kind];
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    markError(this, llmErrorMarker);
  }

  static override isInstance(value: unknown): value is LLMError {
    return hasErrorMarker(value, llmErrorMarker);
  }

  /** Whether a kind is retried by default. */
  static isRetryableKind(kind: LLMErrorKind): boolean {
    return retryableByDefault[kind];
  }
}

function unknownKindMessage(kind: unknown): string {
  return `unknown LLMError kind ${JSON.stringify(kind)}${typeof kind === 'string' ? didYouMean(kind, LLM_ERROR_KINDS) : ''} (the kinds are ${LLM_ERROR_KINDS.join(', ')})`;
}
