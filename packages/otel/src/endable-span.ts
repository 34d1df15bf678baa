import type { Span } from '@opentelemetry/api';
import { quietly } from './instrumentation-kit.js';
import type { Abandonable, OperationScope } from './operation-scope.js';

/**
 * What the spans inside an operation share: ended once (`finish`, never throwing into the
 * engine), untracked from their operation when they end, and — when the operation ends first
 * (a crash, a lost claim) — closed as `ticketflow.unfinished`.
 */
export abstract class EndableSpan<End> implements Abandonable {
  protected abstract readonly span: Span;
  private done = false;

  protected constructor(protected readonly scope: OperationScope) {}

  ended(end: End): void {
    if (this.done) return;
    this.done = true;
    quietly(() => this.finish(end));
    this.scope.untrack(this);
  }

  abandon(): void {
    if (this.done) return;
    this.done = true;
    quietly(() => {
      this.span.setAttribute('ticketflow.unfinished', true);
      this.span.end();
    });
  }

  /** Records the end on the span and ends it. */
  protected abstract finish(end: End): void;
}
