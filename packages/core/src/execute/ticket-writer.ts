import type { TicketEvent } from '../events/ticket-event-map.js';
import type { TicketDoc } from '../model/ticket.js';
import type { TicketStore } from '../store/ticket-store.js';
import { ClaimLostError } from './execution-errors.js';

/**
 * Holds the latest version of a ticket during a turn and commits the next one with
 * compare-and-set, one write at a time: concurrent writers of one execution (parallel
 * `ctx.call`s, the lease heartbeat) queue up, and each write applies its change to the
 * ticket as the previous write left it — so a turn never conflicts with its own writes.
 *
 * The checkpoint is *staged*: it is written together with the next write, so it still lands
 * before any tool runs but costs no write of its own. A lost compare-and-set throws
 * {@link ClaimLostError}: before the checkpoint landed, another turn simply got there first;
 * after it, another worker took the ticket over (or the ticket is gone) — stop running tools.
 */
export class TicketWriter {
  /** Every event this writer committed, in order (for hooks and instrumentation). */
  readonly committedEvents: TicketEvent[] = [];
  /**
   * When the last successful write landed, on the monotonic clock the writer was given
   * (`settings.elapsed`): a wall clock stepped back would stop the claim heartbeat (E4).
   */
  lastWriteAt = 0;
  private staged: TicketEvent[] | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: ClaimLostError | null = null;

  constructor(
    private readonly store: TicketStore,
    public ticket: TicketDoc,
    public version: number | null,
    private readonly elapsed: () => number = () => performance.now(),
  ) {}

  /** True while a staged checkpoint (or creation) has not been written yet. */
  get hasStaged(): boolean {
    return this.staged !== null;
  }

  /** The claim was lost (or the ticket vanished): no write will succeed any more. */
  get lost(): ClaimLostError | null {
    return this.failure;
  }

  /** Stages a new ticket state (a checkpoint with its claim) and its events for the next write. */
  stage(checkpoint: TicketDoc, events: readonly TicketEvent[]): void {
    this.ticket = checkpoint;
    this.staged = (this.staged ?? []).concat(events);
  }

  /**
   * Writes `next` (computed now, from the latest ticket) with `events`, after the writes queued
   * before it. A change that returns `null` (with no events and nothing staged) writes nothing:
   * what it would have renewed is gone by the time its turn in the queue comes.
   */
  write(change: (latest: TicketDoc) => TicketDoc | null, events: readonly TicketEvent[] = []): Promise<void> {
    const run = this.queue.then(() => {
      const next = change(this.ticket);
      if (next === null && events.length === 0 && this.staged === null) return undefined;
      return this.commitNow(next ?? this.ticket, events);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Writes `next` as is (see {@link write}). */
  commit(next: TicketDoc, events: readonly TicketEvent[] = []): Promise<void> {
    return this.write(() => next, events);
  }

  /** Resolves when every queued write has settled. */
  async settled(): Promise<void> {
    await this.queue;
  }

  private async commitNow(next: TicketDoc, events: readonly TicketEvent[]): Promise<void> {
    if (this.failure) throw this.failure;
    const staged = this.staged;
    const all = staged ? staged.concat(events) : [...events];
    const result = await this.store.commit({ ticketId: next.id, expectedVersion: this.version, ticket: next, events: all });
    if (!result.ok) {
      const beforeClaim = staged !== null;
      const error = new ClaimLostError(next.id, { beforeClaim, gone: result.version === null && this.version !== null });
      if (!beforeClaim) this.failure = error;
      throw error;
    }
    // A checkpoint staged while this write was in flight (a heartbeat renewal, say) is not part
    // of it: it stays staged, with its events, for the next write — and stays the ticket.
    const stagedMeanwhile = this.staged === staged ? null : (this.staged ?? []).slice(staged?.length ?? 0);
    this.staged = stagedMeanwhile;
    if (stagedMeanwhile === null) this.ticket = next;
    this.version = result.version;
    this.lastWriteAt = this.elapsed();
    for (const event of all) this.committedEvents.push(event);
  }
}
