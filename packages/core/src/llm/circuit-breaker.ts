/** Settings of a {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failed calls that open the circuit. Default 5. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before one half-open probe. Default 30 000 ms. */
  cooldownMs: number;
}

export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerOptions = { failureThreshold: 5, cooldownMs: 30_000 };

/** `closed`: calls flow; `open`: refused until the cool-down ends; `half_open`: one probe allowed. */
export type CircuitState = 'closed' | 'open' | 'half_open';

/**
 * A circuit breaker per LLM provider, so that a dead provider costs no latency on every
 * turn: after `failureThreshold` consecutive failures it refuses calls for `cooldownMs`,
 * then lets one probe through; a success closes it, a failure opens it again. A provider
 * that asks to back off (`retryAfterMs`) is opened at least that long.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  /** Why it is open: a provider's back-off hint ends by itself; a run of failures needs a probe. */
  private openedBy: 'hint' | 'failures' = 'failures';
  private probing = false;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly now: () => number,
  ) {}

  get state(): CircuitState {
    if (this.openUntil === 0) return 'closed';
    if (this.now() < this.openUntil) return 'open';
    if (this.openedBy === 'hint') {
      // The provider said when to come back, and that time has come: closed again.
      this.openUntil = 0;
      return 'closed';
    }
    return 'half_open';
  }

  /** True when a call may be made now (closed, or the single half-open probe). */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.openUntil = 0;
    this.probing = false;
  }

  /**
   * Counts a failed call. `failureThreshold` consecutive failures — or a failed half-open
   * probe — open the circuit for `cooldownMs`; a provider's retry hint (`backOffMs`) opens
   * it at least that long, after which it closes by itself.
   */
  recordFailure(backOffMs?: number): void {
    this.failures += 1;
    const wasProbe = this.probing;
    this.probing = false;
    const now = this.now();
    if (wasProbe || this.failures >= this.options.failureThreshold) {
      this.openUntil = Math.max(this.openUntil, now + Math.max(this.options.cooldownMs, backOffMs ?? 0));
      this.openedBy = 'failures';
    } else if (backOffMs !== undefined && backOffMs > 0 && now + backOffMs > this.openUntil) {
      this.openUntil = now + backOffMs;
      this.openedBy = 'hint';
    }
  }
}
