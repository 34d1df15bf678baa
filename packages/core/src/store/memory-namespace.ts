import { compareTicketOrder } from './ticket-index.js';
import type { ListPosition } from './list-cursor.js';
import type { EncodedCommit } from './ticket-store-driver.js';
import type { TicketIndex } from './ticket-store.js';

/** One ticket of a {@link MemoryNamespace}. */
export interface MemoryEntry {
  ticketId: string;
  /**
   * The committed document as JSON text: what durable stores keep, so no object is shared
   * with the caller and each load returns a fresh copy.
   */
  document: string;
  version: number;
  /** The events as JSON text; seq n is element n - 1. */
  events: string[];
  index: TicketIndex;
}

/**
 * The tickets of one namespace of a `MemoryStoreData`, with the index that serves `list`
 * and `purge`: the entries sorted by (`updatedAt`, ticket id), kept up to date by every
 * write, and searched by bisection.
 */
export class MemoryNamespace {
  private readonly byId = new Map<string, MemoryEntry>();
  private readonly ordered: MemoryEntry[] = [];

  get(ticketId: string): MemoryEntry | undefined {
    return this.byId.get(ticketId);
  }

  /** Writes an accepted commit: the document, the appended events and the index entry. */
  write(commit: EncodedCommit): void {
    const stored = this.byId.get(commit.ticketId);
    if (stored) this.unindex(stored);
    const entry: MemoryEntry = {
      ticketId: commit.ticketId,
      document: commit.document,
      version: (stored?.version ?? 0) + 1,
      events: stored ? stored.events : [],
      index: commit.index,
    };
    for (const event of commit.events) entry.events.push(event);
    this.byId.set(commit.ticketId, entry);
    this.ordered.splice(this.position({ updatedAt: entry.index.updatedAt, ticketId: entry.ticketId }), 0, entry);
  }

  remove(ticketId: string): void {
    const stored = this.byId.get(ticketId);
    if (!stored) return;
    this.byId.delete(ticketId);
    this.unindex(stored);
  }

  /** The entries after `position` (all when null), in list order. */
  *after(position: ListPosition | null): Generator<MemoryEntry> {
    let index = position === null ? 0 : this.position(position);
    const first = this.ordered[index];
    if (position !== null && first && compareTicketOrder(keyOf(first), position) === 0) index += 1;
    for (; index < this.ordered.length; index += 1) yield this.ordered[index]!;
  }

  private unindex(entry: MemoryEntry): void {
    const index = this.position(keyOf(entry));
    if (this.ordered[index] === entry) this.ordered.splice(index, 1);
  }

  /** The first index whose entry does not come before `key`. */
  private position(key: ListPosition): number {
    let low = 0;
    let high = this.ordered.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareTicketOrder(keyOf(this.ordered[middle]!), key) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

function keyOf(entry: MemoryEntry): ListPosition {
  return { updatedAt: entry.index.updatedAt, ticketId: entry.ticketId };
}
