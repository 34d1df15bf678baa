import { MAX_TIMER_MS } from './sleep.js';

/** Why a {@link Deadline}'s signal fired. */
export type DeadlineReason = 'timeout' | 'aborted';

/**
 * One call's deadline (see {@link withDeadline}): a signal to hand to `fetch`, an SDK or a
 * tool, that fires when the time is up or the caller aborts, and which of the two it was.
 * `options.timeoutReason` of `withDeadline` gives the abort reason of a timeout (default a
 * `TimeoutError` DOMException).
 */
export interface Deadline {
  /** Aborts when `timeoutMs` has passed (reason: a `TimeoutError` DOMException) or the caller's signal aborts (its reason). */
  readonly signal: AbortSignal;
  /** The time allowed, in ms (`Infinity`: no time limit, only the caller's signal). */
  readonly timeoutMs: number;
  /** `timeout` or `aborted` (by the caller) once the signal fired; `undefined` while it has not. */
  readonly reason: DeadlineReason | undefined;
  /** Milliseconds left before the timeout (0 once passed; `Infinity` without a limit). */
  remainingMs(): number;
  /** A sentence for an error message: `no answer within 30000 ms (timeout)` or `the call was aborted by the caller`. */
  describe(): string;
  /**
   * Settles with `promise`, or rejects with `onAbort()` as soon as the deadline fires, even
   * when the promise ignores the signal (a hung call is abandoned, not awaited).
   */
  race<T>(promise: Promise<T>, onAbort: () => unknown): Promise<T>;
  /** Releases the deadline's timer and listener; call it in `finally`. Idempotent. The signal stays as it is. */
  dispose(): void;
}

/**
 * The deadline of one call: one `AbortController` whose signal fires when the time is up
 * (one timer, the same `TimeoutError` DOMException as `AbortSignal.timeout`) or when the
 * caller's signal aborts (its reason). The helper every timeout in ticketflow goes through
 * (LLM calls, tools), so that each reports a timeout and an abort the same way.
 *
 * Why not `AbortSignal.timeout` + `AbortSignal.any`: measured on Node 20, a timeout signal
 * with the listener Node 20 needs to keep it alive (nodejs/node#57736) costs ~12 µs, and
 * `AbortSignal.any` ~37 µs, against ~0.5 µs for a controller and a timer. A turn makes several
 * calls; the difference was a fifth of the core's cost per turn. The semantics are the same.
 *
 * - `timeoutMs` must be ≥ 0 (`Infinity`: no limit); values above 2^31−1 ms are capped there
 *   (a Node timer would otherwise fire at once); until `dispose`, the timer keeps the process
 *   alive, so a call that hangs without holding anything open still ends in its timeout;
 * - an already aborted `callerSignal` gives an already aborted signal, `reason` `aborted`; any
 *   caller signal (native or a look-alike: a polyfill's, another realm's) is followed through
 *   one listener that `dispose` removes;
 * - the first source to fire decides `reason`; the other is ignored;
 * - {@link Deadline.race} settles a promise with the deadline without any event listener.
 *
 * @throws {RangeError} when `timeoutMs` is negative or NaN (a programmer error).
 *
 * @example
 * ```ts
 * const deadline = withDeadline(options.timeoutMs ?? 30_000, options.signal);
 * try {
 *   return await fetch(url, { signal: deadline.signal });
 * } catch (error) {
 *   if (deadline.reason) throw new LLMError({ kind: 'timeout', provider, message: deadline.describe() });
 *   throw error;
 * } finally {
 *   deadline.dispose();
 * }
 * ```
 */
export function withDeadline(timeoutMs: number, callerSignal?: AbortSignal, options: { timeoutReason?: () => unknown } = {}): Deadline {
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new RangeError(`a deadline needs a timeout of 0 ms or more (got ${String(timeoutMs)})`);
  }
  return new TimedDeadline(timeoutMs, callerSignal, options.timeoutReason);
}

/**
 * The {@link Deadline} of {@link withDeadline}. A class, not an object literal: a literal
 * with a getter and five closures cost ~10 µs per call on Node 20, the class ~2 µs.
 */
class TimedDeadline implements Deadline {
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #started = performance.now();
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #release: (() => void) | undefined;
  #fired: DeadlineReason | undefined;
  #waiting: (() => void)[] | undefined;

  constructor(
    readonly timeoutMs: number,
    callerSignal: AbortSignal | undefined,
    timeoutReason: (() => unknown) | undefined,
  ) {
    this.signal = this.#controller.signal;
    if (Number.isFinite(timeoutMs)) {
      // Not unref'd: while a call waits on its deadline, the timer is what keeps a one-shot
      // script (a cron job, a CLI) alive until the call times out, when the call itself holds
      // nothing open (a hung promise). `dispose` clears it.
      this.#timer = setTimeout(() => this.#fire('timeout', timeoutReason ? timeoutReason() : timeoutError()), Math.min(Math.ceil(timeoutMs), MAX_TIMER_MS));
    }
    this.#release = callerSignal ? follow(callerSignal, (reason) => this.#fire('aborted', reason)) : undefined;
  }

  get reason(): DeadlineReason | undefined {
    return this.#fired;
  }

  remainingMs(): number {
    return Math.max(0, this.timeoutMs - (performance.now() - this.#started));
  }

  describe(): string {
    return this.#fired === 'aborted' ? 'the call was aborted by the caller' : `no answer within ${this.timeoutMs} ms (timeout)`;
  }

  race<T>(promise: Promise<T>, onAbort: () => unknown): Promise<T> {
    if (this.#fired !== undefined) {
      promise.catch(() => undefined);
      return Promise.reject(onAbort());
    }
    return new Promise<T>((resolve, reject) => {
      (this.#waiting ??= []).push(() => {
        promise.catch(() => undefined);
        reject(onAbort());
      });
      promise.then(resolve, reject);
    });
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#release?.();
    this.#waiting = undefined;
  }

  /** The first source to fire decides the reason; the signal aborts and every race rejects. */
  #fire(why: DeadlineReason, abortReason: unknown): void {
    if (this.#fired !== undefined) return;
    this.#fired = why;
    this.#controller.abort(abortReason);
    const hooks = this.#waiting;
    this.#waiting = undefined;
    hooks?.forEach((hook) => hook());
  }
}

/** The reason `AbortSignal.timeout` gives. */
function timeoutError(): DOMException {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

/** Calls `onAbort` with the caller's reason when its signal aborts (at once if it has); returns the release. */
function follow(signal: AbortSignal, onAbort: (reason: unknown) => void): (() => void) | undefined {
  if (signal.aborted) {
    onAbort(signal.reason);
    return undefined;
  }
  const listener = () => onAbort(signal.reason);
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}
