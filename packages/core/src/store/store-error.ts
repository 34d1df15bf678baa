import { hasErrorMarker, markError, TicketflowError } from '../errors/ticketflow-error.js';

/**
 * Kinds of store failure.
 * - `unavailable`: the backend cannot be reached or did not answer in time (retryable);
 * - `conflict`: the database's own serialisation failure (retryable). A version mismatch
 *   is *not* an error: `commit` returns it;
 * - `corrupt`: stored data cannot be read back (bad JSON, unknown schema version);
 * - `invalid`: the request itself is unusable (e.g. a document the backend refuses).
 */
export type StoreErrorKind = 'unavailable' | 'conflict' | 'corrupt' | 'invalid';

/** Options of {@link StoreError}. */
export interface StoreErrorOptions {
  kind: StoreErrorKind;
  /** The adapter's name (`sqlite`, `postgres`, `redis`, `memory`). */
  adapter: string;
  /** What went wrong, without passwords. Prefixed with `[adapter]` automatically. */
  message: string;
  /** Overrides the default (`unavailable` and `conflict` are retryable). */
  retryable?: boolean;
  /** The driver's error. */
  cause?: unknown;
  /**
   * Whether the operation may have taken effect. `not_applied`: it certainly did not (the
   * request never reached the backend, or the backend refused it). `unknown`: the request
   * was sent but no answer came (a stalled connection, a timeout after sending a commit) —
   * it may have landed or may land later. Default: `unknown` for `unavailable`, else `not_applied`.
   */
  outcome?: StoreErrorOutcome;
}

/** Whether a failed store operation may have taken effect (see {@link StoreErrorOptions.outcome}). */
export type StoreErrorOutcome = 'not_applied' | 'unknown';

const storeErrorMarker = Symbol.for('ticketflow.error.store');

/**
 * A store failure, mapped from the driver's error at the adapter boundary.
 * Recognise it with {@link StoreError.isInstance}.
 *
 * @example
 * ```ts
 * throw new StoreError({ kind: 'unavailable', adapter: 'postgres', message: 'connection refused', cause: error });
 * ```
 */
export class StoreError extends TicketflowError {
  readonly kind: StoreErrorKind;
  readonly adapter: string;
  readonly retryable: boolean;
  /**
   * Whether the failed operation may have taken effect. When `agent.handle` rejects with
   * `outcome: 'unknown'`, the turn may still commit: retry with the same `messageId` (T7
   * makes that safe: a message already processed returns its recorded result).
   */
  readonly outcome: StoreErrorOutcome;

  constructor(options: StoreErrorOptions) {
    const prefix = `[${options.adapter}] `;
    const message = options.message.startsWith(prefix) ? options.message : `${prefix}${options.message}`;
    super({ code: `store_${options.kind}`, message, cause: options.cause });
    this.name = 'StoreError';
    this.kind = options.kind;
    this.adapter = options.adapter;
    this.retryable = options.retryable ?? (options.kind === 'unavailable' || options.kind === 'conflict');
    this.outcome = options.outcome ?? (options.kind === 'unavailable' ? 'unknown' : 'not_applied');
    markError(this, storeErrorMarker);
  }

  static override isInstance(value: unknown): value is StoreError {
    return hasErrorMarker(value, storeErrorMarker);
  }
}
