import type { Attributes, Context } from '@opentelemetry/api';
import type { OperationName } from '@ticketflow/core';
import type { InstrumentationKit } from './instrumentation-kit.js';

/** A span that its operation ends if the core never does (e.g. a turn that rejected midway). */
export interface Abandonable {
  abandon(): void;
}

/** What the spans inside one operation (`invoke_agent`) need from it. */
export interface OperationScope {
  readonly kit: InstrumentationKit;
  /** The context whose active span is the operation's `invoke_agent` span. */
  readonly context: Context;
  readonly ticketId: string;
  readonly operation: OperationName;
  track(span: Abandonable): void;
  untrack(span: Abandonable): void;
  /**
   * A span event on the `invoke_agent` span, added when the operation ends so that it can
   * carry the ticket version the operation committed (`versioned`).
   */
  mark(name: string, attributes: Attributes, versioned: boolean): void;
  /** A provider answered (the operation's `gen_ai.provider.name` and model). */
  answered(provider: string, model: string | undefined): void;
}

/** Now, as epoch milliseconds with sub-millisecond precision (a span event's time). */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
