import type { TicketDoc } from '../model/ticket.js';
import { StoreError } from './store-error.js';
import type { StoredTicketEvent } from './ticket-event.js';
import { BUSY_STATUSES, ticketIndexOf } from './ticket-index.js';
import type { CommitRequest, CommitResult, EventsQuery, ListQuery, LoadedTicket, PurgeOptions, TicketIndex, TicketPage, TicketStore, TicketSummary } from './ticket-store.js';
import { validateCommitRequest, validateEventsQuery, validateTicketId } from './validate-store-arguments.js';

interface MemoryEntry {
  /**
   * The committed document as JSON text: what durable stores keep, so no object is shared
   * with the caller and each load returns a fresh copy (JSON is also the cheapest copy).
   */
  document: string;
  version: number;
  /** Each event as JSON text with its seq; parsed only when read (reads are rare). */
  events: { seq: number; json: string }[];
  ticketId: string;
  index: TicketIndex;
}

/**
 * The backing data of one or more {@link MemoryTicketStore} instances. Pass the same
 * instance to several stores to simulate workers sharing one database in a test.
 */
export class MemoryStoreData {
  /** @internal */
  readonly entries = new Map<string, MemoryEntry>();
}

/** Options of {@link MemoryTicketStore}. */
export interface MemoryTicketStoreOptions {
  /** Keeps several apps or tenants apart in one {@link MemoryStoreData}. Default `''`. */
  namespace?: string;
  /** Share data between store instances (e.g. two agents in one test). Default: private. */
  data?: MemoryStoreData;
}

/**
 * A {@link TicketStore} in process memory: for tests, demos and benchmarks. It keeps the
 * semantics of the durable adapters (JSON documents isolated from the caller's objects,
 * compare-and-set, ordered events) but nothing survives the process.
 *
 * @example
 * ```ts
 * const agent = createAgent({ store: new MemoryTicketStore(), llm, intents, workflows });
 * ```
 */
export class MemoryTicketStore implements TicketStore {
  readonly name = 'memory';
  private readonly data: MemoryStoreData;
  private readonly namespace: string;
  private closed = false;

  constructor(options: MemoryTicketStoreOptions = {}) {
    this.data = options.data ?? new MemoryStoreData();
    this.namespace = options.namespace ?? '';
  }

  async load(ticketId: string): Promise<LoadedTicket | null> {
    this.assertOpen();
    validateTicketId('memory', ticketId);
    const entry = this.data.entries.get(this.key(ticketId));
    if (!entry) return null;
    return { ticket: JSON.parse(entry.document) as TicketDoc, version: entry.version };
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    this.assertOpen();
    validateCommitRequest('memory', request);
    const key = this.key(request.ticketId);
    const current = this.data.entries.get(key);
    const currentVersion = current?.version ?? null;
    const index = ticketIndexOf(request.ticket);
    if (currentVersion !== request.expectedVersion || (current && current.index.incarnation !== index.incarnation)) {
      return { ok: false, reason: 'conflict', version: currentVersion };
    }
    let document: string;
    let events: MemoryEntry['events'];
    try {
      let seq = current?.events.length ? current.events[current.events.length - 1]!.seq : 0;
      document = JSON.stringify(request.ticket);
      events = request.events.map((event) => {
        seq += 1;
        return { seq, json: JSON.stringify({ ...event, seq }) };
      });
    } catch (error) {
      throw new StoreError({ kind: 'invalid', adapter: 'memory', message: 'the ticket or its events are not JSON', cause: error });
    }
    const version = (currentVersion ?? 0) + 1;
    if (current) for (const event of events) current.events.push(event);
    this.data.entries.set(key, { document, version, events: current ? current.events : events, ticketId: request.ticketId, index });
    return { ok: true, version };
  }

  async events(ticketId: string, options: EventsQuery = {}): Promise<StoredTicketEvent[]> {
    this.assertOpen();
    validateTicketId('memory', ticketId);
    validateEventsQuery('memory', options);
    const entry = this.data.entries.get(this.key(ticketId));
    if (!entry) return [];
    const after = options.after ?? 0;
    const selected = entry.events.filter((event) => event.seq > after);
    const limited = options.limit === undefined ? selected : selected.slice(0, options.limit);
    return limited.map((event) => JSON.parse(event.json) as StoredTicketEvent);
  }

  async delete(ticketId: string): Promise<void> {
    this.assertOpen();
    validateTicketId('memory', ticketId);
    this.data.entries.delete(this.key(ticketId));
  }

  async list(query: ListQuery = {}): Promise<TicketPage> {
    this.assertOpen();
    const limit = query.limit ?? 100;
    const statuses = query.status === undefined ? null : new Set(typeof query.status === 'string' ? [query.status] : query.status);
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const rows: TicketSummary[] = [];
    for (const [key, entry] of this.data.entries) {
      if (!key.startsWith(`${this.namespace}\u0000`)) continue;
      const { index } = entry;
      if (statuses && !statuses.has(index.status)) continue;
      if (query.updatedBefore !== undefined && !(index.updatedAt < query.updatedBefore)) continue;
      if (query.claimExpiredBefore !== undefined && !(index.claimExpiresAt !== null && index.claimExpiresAt < query.claimExpiredBefore)) continue;
      if (after && compareRow(index.updatedAt, entry.ticketId, after.updatedAt, after.ticketId) <= 0) continue;
      rows.push({ ticketId: entry.ticketId, version: entry.version, status: index.status, updatedAt: index.updatedAt, claimExpiresAt: index.claimExpiresAt });
    }
    rows.sort((a, b) => compareRow(a.updatedAt, a.ticketId, b.updatedAt, b.ticketId));
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { tickets: page, cursor: rows.length > limit && last ? encodeCursor(last.updatedAt, last.ticketId) : null };
  }

  async purge(options: PurgeOptions): Promise<number> {
    this.assertOpen();
    let deleted = 0;
    for (const [key, entry] of [...this.data.entries]) {
      if (options.limit !== undefined && deleted >= options.limit) break;
      if (!key.startsWith(`${this.namespace}\u0000`)) continue;
      if (entry.index.updatedAt < options.before && !BUSY_STATUSES.includes(entry.index.status)) {
        this.data.entries.delete(key);
        deleted += 1;
      }
    }
    return deleted;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private key(ticketId: string): string {
    return `${this.namespace}\u0000${ticketId}`;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError({ kind: 'unavailable', adapter: 'memory', message: 'the store is closed' });
  }
}


function compareRow(updatedA: string, idA: string, updatedB: string, idB: string): number {
  if (updatedA !== updatedB) return updatedA < updatedB ? -1 : 1;
  return idA === idB ? 0 : idA < idB ? -1 : 1;
}

function encodeCursor(updatedAt: string, ticketId: string): string {
  return Buffer.from(JSON.stringify([updatedAt, ticketId]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { updatedAt: string; ticketId: string } {
  try {
    const [updatedAt, ticketId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof updatedAt === 'string' && typeof ticketId === 'string') return { updatedAt, ticketId };
  } catch {
    // fall through to the error
  }
  throw new StoreError({ kind: 'invalid', adapter: 'memory', message: 'cursor is not one this store returned' });
}
