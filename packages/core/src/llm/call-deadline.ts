import { type Deadline, type DeadlineReason, withDeadline } from '../util/deadline.js';

/**
 * One call's abort signal, for LLM adapters: fires on the call's timeout or on the caller's
 * signal, and remembers which of the two it was (both map to `LLMError` kind `timeout`;
 * the message says which). `dispose` releases what the deadline holds.
 *
 * Kept for compatibility: it is {@link withDeadline} (the one deadline helper) as a class,
 * with the old tolerance: a negative or NaN `timeoutMs` times out at once instead of throwing.
 *
 * @example
 * ```ts
 * const deadline = new CallDeadline(options.timeoutMs ?? this.timeoutMs, options.signal);
 * try { return await fetch(url, { signal: deadline.signal }); }
 * finally { deadline.dispose(); }
 * ```
 */
export class CallDeadline implements Deadline {
  readonly #deadline: Deadline;

  constructor(timeoutMs: number, callerSignal?: AbortSignal) {
    this.#deadline = withDeadline(timeoutMs >= 0 ? timeoutMs : 0, callerSignal);
  }

  /** Aborts on the timeout or the caller's abort. */
  get signal(): AbortSignal {
    return this.#deadline.signal;
  }

  /** The time allowed, in ms. */
  get timeoutMs(): number {
    return this.#deadline.timeoutMs;
  }

  /** Why the signal fired, or `undefined` while it has not. */
  get reason(): DeadlineReason | undefined {
    return this.#deadline.reason;
  }

  /** Milliseconds left before the timeout. */
  remainingMs(): number {
    return this.#deadline.remainingMs();
  }

  /** A sentence for the error message. */
  describe(): string {
    return this.#deadline.describe();
  }

  /** Settles with `promise`, or rejects with `onAbort()` once the deadline fires. */
  race<T>(promise: Promise<T>, onAbort: () => unknown): Promise<T> {
    return this.#deadline.race(promise, onAbort);
  }

  /** Releases the deadline; call it in `finally`. */
  dispose(): void {
    this.#deadline.dispose();
  }
}
