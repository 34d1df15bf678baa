/** Settings of a {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failed calls that open the circuit. Default 5. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before one half-open probe. Default 30 000 ms. */
  cooldownMs: number;
  /**
   * The longest a provider's back-off hint (`Retry-After`, `RetryInfo`) opens the circuit: a
   * hint of days from a misbehaving gateway must not disable a provider for the life of the
   * process. Default 600 000 ms (10 minutes).
   */
  maxHintMs: number;
}

export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerOptions = { failureThreshold: 5, cooldownMs: 30_000, maxHintMs: 600_000 };

/** `closed`: calls flow; `open`: refused until the cool-down ends; `half_open`: one probe allowed. */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** A change of a circuit, recorded as `llm.circuit_opened` / `llm.circuit_closed` with its cause. */
export type CircuitTransition =
  { type: 'opened'; cause: string; failures: number; reopenAt: number } | { type: 'closed'; cause: 'probe_succeeded' | 'hint_elapsed' };

/**
 * A circuit breaker per LLM provider, so that a dead provider — or one that answers garbage
 * — costs no latency on every turn: after `failureThreshold` consecutive failures it refuses
 * calls for `cooldownMs`, then lets one probe through; a success closes it, a failure opens
 * it again. A provider that asks to back off (`retryAfterMs`) is opened at least that long and
 * closes by itself afterwards. Every opening and closing is returned as a transition.
 *
 * Hand-written rather than cockatiel's or opossum's: the provider's back-off hint that closes
 * the circuit by itself, and the per-turn transition events, would need as much code around
 * either library as this whole class.
 */
export class CircuitBreaker {
  private failures = 0;
  /** When an open circuit lets a probe through (or a hint ends); `null` while closed. */
  private openUntil: number | null = null;
  /** Why it is open: a provider's back-off hint ends by itself; a run of failures needs a probe. */
  private openedBy: 'hint' | 'failures' = 'failures';
  private probing = false;
  /** The latest time read from the clock (to notice it stepping back). */
  private lastNow = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly now: () => number,
  ) {}

  /** The current state, and the closing a lapsed back-off hint caused (returned once). */
  check(): { state: CircuitState; transition: CircuitTransition | null } {
    if (this.openUntil === null) return { state: 'closed', transition: null };
    if (this.clock() < this.openUntil) return { state: 'open', transition: null };
    if (this.openedBy === 'hint') {
      this.openUntil = null;
      return { state: 'closed', transition: { type: 'closed', cause: 'hint_elapsed' } };
    }
    return { state: 'half_open', transition: null };
  }

  /** True when a call may be made now (closed, or the single half-open probe). */
  tryAcquire(state: CircuitState): boolean {
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  /** A call gave a usable answer: closes the circuit if it was open. */
  recordSuccess(): CircuitTransition | null {
    const wasOpen = this.openUntil !== null;
    this.failures = 0;
    this.openUntil = null;
    this.probing = false;
    return wasOpen ? { type: 'closed', cause: 'probe_succeeded' } : null;
  }

  /** A call that neither succeeded nor failed on its own account (cut by the turn's LLM budget): a half-open probe may be tried again. */
  recordNeutral(): void {
    this.probing = false;
  }

  /**
   * Counts a failed call (an error, or an answer that is not a valid decision).
   * `failureThreshold` consecutive failures — or a failed half-open probe — open the circuit
   * for `cooldownMs`; a provider's retry hint (`backOffMs`) opens it at least that long.
   */
  recordFailure(cause: string, backOffMs?: number): CircuitTransition | null {
    this.failures += 1;
    const wasProbe = this.probing;
    this.probing = false;
    const now = this.clock();
    const openUntil = this.openUntil ?? Number.NEGATIVE_INFINITY;
    const wasOpen = openUntil > now;
    // A hint is foreign input: anything but a positive finite number is no hint; a huge one is capped.
    const hint = typeof backOffMs === 'number' && backOffMs > 0 && Number.isFinite(backOffMs) ? Math.min(backOffMs, this.options.maxHintMs) : 0;
    if (wasProbe || this.failures >= this.options.failureThreshold) {
      this.openUntil = Math.max(openUntil, now + Math.max(this.options.cooldownMs, hint));
      this.openedBy = 'failures';
    } else if (hint > 0 && now + hint > openUntil) {
      this.openUntil = now + hint;
      this.openedBy = 'hint';
    } else {
      return null;
    }
    return wasOpen ? null : { type: 'opened', cause, failures: this.failures, reopenAt: this.openUntil };
  }

  /**
   * The time now. The clock is the agent's wall clock (`now`, which tests drive); when it
   * steps back (an NTP step), the end of an open span moves back with it, so the circuit
   * stays open for the cool-down that was left, not for the size of the step as well.
   */
  private clock(): number {
    const now = this.now();
    if (now < this.lastNow && this.openUntil !== null) this.openUntil -= this.lastNow - now;
    this.lastNow = now;
    return now;
  }
}
