/** Longest delay a Node timer honours; a longer one would fire after 1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

/** Why a {@link Deadline}'s signal fired. */
export type DeadlineReason = 'timeout' | 'aborted';

/**
 * One call's deadline (see {@link withDeadline}): a signal to hand to `fetch`, an SDK or a
 * tool, that fires when the time is up or the caller aborts, and which of the two it was.
 */
/** A deadline: see {@link withDeadline}. `options.timeoutReason` gives the abort reason of a timeout (default a `TimeoutError` DOMException). */
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
  /** Releases the deadline's listener; call it in `finally`. Idempotent. The signal stays as it is. */
  dispose(): void;
}

/**
 * The deadline of one call, on the platform's own primitives: `AbortSignal.timeout` for the
 * time limit, `AbortSignal.any` to combine it with the caller's signal. The helper every
 * timeout in ticketflow goes through (LLM calls, tools), so that each reports a timeout and an
 * abort the same way.
 *
 * - `timeoutMs` must be ≥ 0 (`Infinity`: no limit); values above 2^31−1 ms are capped there
 *   (a Node timer would otherwise fire at once);
 * - an already aborted `callerSignal` gives an already aborted signal, `reason` `aborted`; a
 *   look-alike signal (a polyfill's, another realm's) is followed through a listener that
 *   `dispose` removes;
 * - which source fired first is read from the combined signal's reason, so there is no race;
 * - Node 20 garbage-collects a timeout signal that only `AbortSignal.any` refers to, and it then
 *   never fires (nodejs/node#57736): the deadline keeps it alive with a listener until
 *   `dispose`, which removes it. Nothing else is registered: after `dispose` the timeout
 *   signal and its (unreferenced) timer are freed with the next garbage collection.
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
  const started = performance.now();
  const timer = Number.isFinite(timeoutMs) ? timeoutSignal(Math.min(Math.ceil(timeoutMs), MAX_TIMER_MS), options.timeoutReason) : undefined;
  const timeout = timer?.signal;
  const keepAlive = () => undefined;
  timeout?.addEventListener('abort', keepAlive, { once: true });
  const caller = callerSignal === undefined || callerSignal instanceof AbortSignal ? { signal: callerSignal, release: () => undefined } : mirror(callerSignal);
  const sources = [caller.signal, timeout].filter((source): source is AbortSignal => source !== undefined);
  const signal = sources.length === 1 ? (sources[0] as AbortSignal) : AbortSignal.any(sources);
  const reason = (): DeadlineReason | undefined => {
    if (!signal.aborted) return undefined;
    return timeout !== undefined && timeout.aborted && signal.reason === timeout.reason ? 'timeout' : 'aborted';
  };
  return {
    signal,
    timeoutMs,
    get reason() {
      return reason();
    },
    remainingMs: () => Math.max(0, timeoutMs - (performance.now() - started)),
    describe: () => (reason() === 'aborted' ? 'the call was aborted by the caller' : `no answer within ${timeoutMs} ms (timeout)`),
    dispose: () => {
      timeout?.removeEventListener('abort', keepAlive);
      timer?.clear();
      caller.release();
    },
  };
}

/** `AbortSignal.timeout`, or — with a reason of the caller's own (e.g. a typed timeout error) — a cleared-on-dispose timer. */
function timeoutSignal(ms: number, timeoutReason: (() => unknown) | undefined): { signal: AbortSignal; clear: () => void } {
  if (!timeoutReason) return { signal: AbortSignal.timeout(ms), clear: () => undefined };
  const controller = new AbortController();
  const handle = setTimeout(() => controller.abort(timeoutReason()), ms);
  return { signal: controller.signal, clear: () => clearTimeout(handle) };
}

/**
 * A native signal that follows a look-alike (a polyfill's, another realm's): `AbortSignal.any`
 * accepts native signals only. The listener is removed by `release`.
 */
function mirror(lookAlike: AbortSignal): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const follow = () => controller.abort(lookAlike.reason);
  if (lookAlike.aborted) follow();
  else lookAlike.addEventListener('abort', follow, { once: true });
  return { signal: controller.signal, release: () => lookAlike.removeEventListener('abort', follow) };
}
