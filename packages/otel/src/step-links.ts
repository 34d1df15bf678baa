import type { SpanContext } from '@opentelemetry/api';

/**
 * The span of each tool call, by ticket, execution and journal step, so that a compensation
 * (in this turn, or a later approval's rejection in this process) can link to the call it
 * undoes. Bounded: the oldest entries go first.
 */
export class StepLinks {
  private readonly spans = new Map<string, SpanContext>();

  constructor(private readonly capacity = 10_000) {}

  remember(key: string, context: SpanContext): void {
    this.spans.delete(key);
    this.spans.set(key, context);
    if (this.spans.size > this.capacity) {
      const oldest = this.spans.keys().next().value;
      if (oldest !== undefined) this.spans.delete(oldest);
    }
  }

  find(key: string): SpanContext | undefined {
    return this.spans.get(key);
  }

  /** The key of one journal step. */
  static key(ticketId: string, executionId: string, step: number): string {
    return `${ticketId}\u0000${executionId}\u0000${step}`;
  }
}
