import type { StoredTicketEvent } from '../store/ticket-event.js';
import type { CommitRequest, CommitResult, EventsQuery, ListQuery, LoadedTicket, PurgeOptions, TicketPage, TicketStore } from '../store/ticket-store.js';

/** Where a simulated crash hits a commit. */
export type CrashPoint = 'before-write' | 'after-write';

/**
 * Wraps a store to simulate a process killed at its k-th write (1-based): from then on,
 * every call of this wrapper hangs forever, as if the process were gone. With
 * `after-write` the k-th commit reaches the store but its caller never hears back; with
 * `before-write` it never reaches the store. A fresh agent on the underlying store plays
 * the restarted process.
 *
 * @example
 * ```ts
 * const crashing = new CrashingTicketStore(store, { atWrite: 2, point: 'after-write' });
 * void agent(crashing).handle(message);   // hangs at the crash
 * await crashing.crashed;                 // resolves when the crash happened
 * ```
 */
export class CrashingTicketStore implements TicketStore {
  /** Commits attempted so far through this wrapper. */
  writes = 0;
  /** Resolves when the simulated crash happens. */
  readonly crashed: Promise<void>;
  private isCrashed = false;
  private markCrashed!: () => void;

  constructor(
    private readonly inner: TicketStore,
    private readonly plan: { atWrite: number; point: CrashPoint },
  ) {
    this.crashed = new Promise((resolve) => (this.markCrashed = resolve));
  }

  get hasCrashed(): boolean {
    return this.isCrashed;
  }

  /** Simulates a crash now (e.g. while a tool runs). */
  crash(): void {
    this.isCrashed = true;
    this.markCrashed();
  }

  async load(ticketId: string): Promise<LoadedTicket | null> {
    if (this.isCrashed) return hang();
    return this.inner.load(ticketId);
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    if (this.isCrashed) return hang();
    this.writes += 1;
    if (this.writes === this.plan.atWrite) {
      if (this.plan.point === 'after-write') await this.inner.commit(request);
      this.crash();
      return hang();
    }
    return this.inner.commit(request);
  }

  async events(ticketId: string, options?: EventsQuery): Promise<StoredTicketEvent[]> {
    if (this.isCrashed) return hang();
    return this.inner.events(ticketId, options);
  }

  async delete(ticketId: string): Promise<void> {
    if (this.isCrashed) return hang();
    return this.inner.delete(ticketId);
  }

  async list(query?: ListQuery): Promise<TicketPage> {
    if (this.isCrashed) return hang();
    return this.inner.list(query);
  }

  async purge(options: PurgeOptions): Promise<number> {
    if (this.isCrashed) return hang();
    return this.inner.purge(options);
  }

  async close(): Promise<void> {
    // the underlying store belongs to the test
  }
}

function hang<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}
