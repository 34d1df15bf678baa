import { MemoryTicketStore } from '../../store/memory-ticket-store.js';
import type { MemoryStoreData } from '../../store/memory-ticket-store.js';
import type { StoredTicketEvent, TicketEvent } from '../../store/ticket-event.js';
import type { CommitRequest, CommitResult, EventsQuery, ListQuery, LoadedTicket, PurgeOptions, TicketPage, TicketStore } from '../../store/ticket-store.js';

/**
 * Deliberately broken stores, each wrapping a `MemoryTicketStore` and breaking one rule of
 * DESIGN §5, to prove the conformance suite catches them (see `broken-stores.test.ts`).
 * Not exported from the package.
 */

const pause = () => new Promise((resolve) => setTimeout(resolve, 1));

type EventLog = Map<string, StoredTicketEvent[]>;
const logs = new WeakMap<MemoryStoreData, Map<string, EventLog>>();

/** The events a split store keeps for one namespace of `data`, shared by its instances. */
function logOf(data: MemoryStoreData, namespace: string): EventLog {
  const byNamespace = logs.get(data) ?? new Map<string, EventLog>();
  logs.set(data, byNamespace);
  const log = byNamespace.get(namespace) ?? new Map<string, StoredTicketEvent[]>();
  byNamespace.set(namespace, log);
  return log;
}

/** Loses the data of a namespace, for a broken store as for its inner memory store. */
export function wipeBrokenStore(data: MemoryStoreData, namespace: string): void {
  data.wipe(namespace);
  logOf(data, namespace).clear();
}

/** A store that keeps events itself, beside the inner store's documents. */
abstract class SplitStore implements TicketStore {
  readonly name: string = 'broken';
  protected readonly log: EventLog;
  protected readonly inner: TicketStore;
  constructor(data: MemoryStoreData, namespace: string) {
    this.inner = new MemoryTicketStore({ data, namespace });
    this.log = logOf(data, namespace);
  }
  load(ticketId: string): Promise<LoadedTicket | null> {
    return this.inner.load(ticketId);
  }
  abstract commit(request: CommitRequest): Promise<CommitResult>;
  async events(ticketId: string, options: EventsQuery = {}): Promise<StoredTicketEvent[]> {
    await this.inner.events(ticketId, options); // same validation as the inner store
    const all = (this.log.get(ticketId) ?? []).filter((stored) => stored.seq > (options.after ?? 0));
    return structuredClone(options.limit === undefined ? all : all.slice(0, options.limit));
  }
  async delete(ticketId: string): Promise<void> {
    await this.inner.delete(ticketId);
    this.log.delete(ticketId);
  }
  list(query?: ListQuery): Promise<TicketPage> {
    return this.inner.list(query);
  }
  async purge(options: PurgeOptions): Promise<number> {
    const before = new Set((await this.inner.list({ limit: 1_000 })).tickets.map((ticket) => ticket.ticketId));
    const count = await this.inner.purge(options);
    const after = new Set((await this.inner.list({ limit: 1_000 })).tickets.map((ticket) => ticket.ticketId));
    for (const ticketId of before) if (!after.has(ticketId)) this.log.delete(ticketId);
    return count;
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  protected append(ticketId: string, events: TicketEvent[]): void {
    const log = this.log.get(ticketId) ?? [];
    for (const item of events) log.push({ ...structuredClone(item), seq: log.length + 1 });
    this.log.set(ticketId, log);
  }
}

/** Makes the document visible, awaits, then appends the events (not atomic). */
class DocumentThenEventsStore extends SplitStore {
  async commit(request: CommitRequest): Promise<CommitResult> {
    const result = await this.inner.commit({ ...request, events: [] });
    if (!result.ok) return result;
    await pause();
    this.append(request.ticketId, request.events);
    return result;
  }
}

/** Appends the events, awaits, then tries the document: events without their document. */
class EventsWithoutDocumentStore extends SplitStore {
  async commit(request: CommitRequest): Promise<CommitResult> {
    this.append(request.ticketId, request.events);
    await pause();
    return this.inner.commit({ ...request, events: [] });
  }
}

/** Appends a commit's events to whichever ticket committed last (a shared "current ticket"). */
class WrongTicketStore extends SplitStore {
  private current = '';
  async commit(request: CommitRequest): Promise<CommitResult> {
    this.current = request.ticketId;
    const result = await this.inner.commit({ ...request, events: [] });
    await pause();
    if (result.ok) this.append(this.current, request.events);
    return result;
  }
}

/** Passes every call to a `MemoryTicketStore`; each subclass breaks one method. */
class PassThroughStore implements TicketStore {
  readonly name = 'broken';
  constructor(protected readonly inner: MemoryTicketStore) {}
  load(ticketId: string): Promise<LoadedTicket | null> {
    return this.inner.load(ticketId);
  }
  commit(request: CommitRequest): Promise<CommitResult> {
    return this.inner.commit(request);
  }
  events(ticketId: string, options?: EventsQuery): Promise<StoredTicketEvent[]> {
    return this.inner.events(ticketId, options);
  }
  delete(ticketId: string): Promise<void> {
    return this.inner.delete(ticketId);
  }
  list(query?: ListQuery): Promise<TicketPage> {
    return this.inner.list(query);
  }
  purge(options: PurgeOptions): Promise<number> {
    return this.inner.purge(options);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Checks the version only: a commit prepared against an earlier life of the id lands. */
class NoIncarnationStore extends PassThroughStore {
  override async commit(request: CommitRequest): Promise<CommitResult> {
    const stored = await this.inner.load(request.ticketId);
    if (request.expectedVersion === null || stored === null) return this.inner.commit(request);
    // Give the request the stored incarnation, so that only the version is compared.
    const incarnation = (stored.ticket as { incarnation?: unknown }).incarnation;
    return this.inner.commit({ ...request, ticket: { ...request.ticket, incarnation } as CommitRequest['ticket'] });
  }
}

/** Purges busy tickets too. */
class PurgesBusyStore extends PassThroughStore {
  override async purge(options: PurgeOptions): Promise<number> {
    const { tickets } = await this.inner.list({ updatedBefore: options.before, limit: 1_000 });
    const doomed = options.limit === undefined ? tickets : tickets.slice(0, options.limit);
    for (const ticket of doomed) await this.inner.delete(ticket.ticketId);
    return doomed.length;
  }
}

/** Pages with an offset as the cursor: skips and repeats tickets that move meanwhile. */
class OffsetCursorStore extends PassThroughStore {
  override async list(query: ListQuery = {}): Promise<TicketPage> {
    const offset = query.cursor ? Number(query.cursor) : 0;
    const { tickets } = await this.inner.list({ ...query, cursor: null, limit: 1_000 });
    const limit = query.limit ?? 100;
    return { tickets: tickets.slice(offset, offset + limit), cursor: offset + limit < tickets.length ? String(offset + limit) : null };
  }
}

/** Stores whatever JSON.stringify makes of a value the rule refuses (NUL dropped, NaN as null, a Map as {}). */
class LenientValuesStore extends PassThroughStore {
  override async commit(request: CommitRequest): Promise<CommitResult> {
    try {
      return await this.inner.commit(request);
    } catch {
      const lenient = <T>(value: T): T =>
        JSON.parse(
          JSON.stringify(value)
            .replaceAll('\\u0000', '')
            .replace(/\\ud[89a-f][0-9a-f]{2}/gi, '?'),
        ) as T;
      return this.inner.commit({ ...request, ticket: lenient(request.ticket), events: lenient(request.events) });
    }
  }
}

/** The broken stores by name, each with a factory on a shared memory backend. */
export const BROKEN_STORES: Record<string, (data: MemoryStoreData, namespace: string) => TicketStore> = {
  'document-then-events': (data, namespace) => new DocumentThenEventsStore(data, namespace),
  'events-without-document': (data, namespace) => new EventsWithoutDocumentStore(data, namespace),
  'wrong-ticket': (data, namespace) => new WrongTicketStore(data, namespace),
  'no-incarnation': (data, namespace) => new NoIncarnationStore(new MemoryTicketStore({ data, namespace })),
  'purges-busy': (data, namespace) => new PurgesBusyStore(new MemoryTicketStore({ data, namespace })),
  'offset-cursor': (data, namespace) => new OffsetCursorStore(new MemoryTicketStore({ data, namespace })),
  'lenient-values': (data, namespace) => new LenientValuesStore(new MemoryTicketStore({ data, namespace })),
};
