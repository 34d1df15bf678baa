import type { SpanContext } from '@opentelemetry/api';

/**
 * The spans of each execution's tool calls, by journal step, so that a compensation (in this
 * turn, or in an operator's rejection or an expiry later in this process) can link to the
 * call it undoes. Bounded: past `capacity` executions, the least recently used tenth goes.
 */
export class StepLinks {
  private readonly executions = new Map<string, SpanContext[]>();

  constructor(private readonly capacity = 5_000) {}

  /** The step spans of one execution (an array indexed by step), made on first use. */
  of(ticketId: string, executionId: string): SpanContext[] {
    const key = `${ticketId}\u0000${executionId}`;
    let steps = this.executions.get(key);
    if (steps) this.executions.delete(key);
    else steps = [];
    this.executions.set(key, steps);
    if (this.executions.size > this.capacity) this.evict();
    return steps;
  }

  /** How many executions are remembered. */
  get size(): number {
    return this.executions.size;
  }

  private evict(): void {
    let excess = this.executions.size - Math.floor(this.capacity * 0.9);
    for (const key of this.executions.keys()) {
      if (excess-- <= 0) break;
      this.executions.delete(key);
    }
  }
}
