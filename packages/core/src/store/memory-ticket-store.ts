import { z } from 'zod';
import { parseOptions } from '../config/check-options.js';
import { GuardedTicketStore } from './guarded-ticket-store.js';
import { MemoryNamespace } from './memory-namespace.js';
import type { EncodedCommit, StoredEventRow, StoredTicketRow, TicketStoreDriver } from './ticket-store-driver.js';
import type { CommitResult, TicketSummary } from './ticket-store.js';
import { BUSY_STATUSES } from './ticket-index.js';
import { unstorableText } from './unstorable-value.js';
import type { ResolvedListQuery, ResolvedPurgeOptions } from './validate-fleet-arguments.js';

/**
 * The backing data of one or more {@link MemoryTicketStore} instances. Pass the same
 * instance to several stores to simulate workers sharing one database in a test.
 */
export class MemoryStoreData {
  /** @internal */
  readonly namespaces = new Map<string, MemoryNamespace>();

  /**
   * Forgets every ticket of `namespace`, as a backend that lost its data would (a Redis
   * restarted without persistence). For tests of what happens then.
   */
  wipe(namespace = ''): void {
    this.namespaces.delete(namespace);
  }

  /** @internal */
  namespace(name: string): MemoryNamespace {
    let namespace = this.namespaces.get(name);
    if (namespace === undefined) {
      namespace = new MemoryNamespace();
      this.namespaces.set(name, namespace);
    }
    return namespace;
  }
}

/** Options of {@link MemoryTicketStore}. */
export interface MemoryTicketStoreOptions {
  /** Keeps several apps or tenants apart in one {@link MemoryStoreData}. Default `''`. */
  namespace?: string | undefined;
  /** Share data between store instances (e.g. two agents in one test). Default: private. */
  data?: MemoryStoreData | undefined;
}

const optionsSchema = z.object({
  namespace: z
    .string()
    .refine((text) => unstorableText(text) === undefined, 'must be well-formed Unicode without NUL characters')
    .optional(),
  data: z.instanceof(MemoryStoreData, { message: 'must be a MemoryStoreData' }).optional(),
});

/**
 * A {@link TicketStore} in process memory: for tests, demos and benchmarks. It keeps the
 * semantics of the durable adapters (JSON documents isolated from the caller's objects, the
 * same storage rule, compare-and-set with incarnations, ordered events, an index for
 * `list` and `purge`) but nothing survives the process.
 *
 * @example
 * ```ts
 * const agent = createAgent({ store: new MemoryTicketStore(), llm, intents, workflows });
 * ```
 * @throws {ConfigurationError} from the constructor, for unknown or unusable options.
 */
export class MemoryTicketStore extends GuardedTicketStore {
  constructor(options: MemoryTicketStoreOptions = {}) {
    const parsed = parseOptions(optionsSchema, options, 'MemoryTicketStore');
    super(new MemoryDriver(parsed.data ?? new MemoryStoreData(), parsed.namespace ?? ''));
  }
}

/** The memory backend: one {@link MemoryNamespace} of a {@link MemoryStoreData}. */
class MemoryDriver implements TicketStoreDriver {
  readonly adapter = 'memory';

  constructor(
    private readonly data: MemoryStoreData,
    private readonly namespace: string,
  ) {}

  async load(ticketId: string): Promise<StoredTicketRow | null> {
    const entry = this.current().get(ticketId);
    return entry ? { document: entry.document, version: entry.version } : null;
  }

  async commit(commit: EncodedCommit): Promise<CommitResult> {
    const tickets = this.current();
    const stored = tickets.get(commit.ticketId);
    const version = stored?.version ?? null;
    if (version !== commit.expectedVersion || (stored && stored.index.incarnation !== commit.index.incarnation)) {
      return { ok: false, reason: 'conflict', version };
    }
    tickets.write(commit);
    return { ok: true, version: (version ?? 0) + 1 };
  }

  async events(ticketId: string, range: { after: number; limit: number | null }): Promise<StoredEventRow[]> {
    const events = this.current().get(ticketId)?.events ?? [];
    // seq n is element n - 1: events are numbered from 1 without gaps.
    return events
      .slice(range.after, range.limit === null ? undefined : range.after + range.limit)
      .map((json, index) => ({ seq: range.after + index + 1, event: json }));
  }

  async delete(ticketId: string): Promise<void> {
    this.current().remove(ticketId);
  }

  async list(query: ResolvedListQuery): Promise<TicketSummary[]> {
    const statuses = query.statuses === null ? null : new Set(query.statuses);
    const rows: TicketSummary[] = [];
    for (const entry of this.current().after(query.after)) {
      const { index } = entry;
      if (query.updatedBefore !== null && index.updatedAt >= query.updatedBefore) break;
      if (statuses && !statuses.has(index.status)) continue;
      if (query.claimExpiredBefore !== null && !(index.claimExpiresAt !== null && index.claimExpiresAt < query.claimExpiredBefore)) continue;
      rows.push({ ticketId: entry.ticketId, version: entry.version, status: index.status, updatedAt: index.updatedAt, claimExpiresAt: index.claimExpiresAt });
      if (rows.length > query.limit) break;
    }
    return rows;
  }

  async purge(options: ResolvedPurgeOptions): Promise<number> {
    const tickets = this.current();
    const doomed: string[] = [];
    for (const entry of tickets.after(null)) {
      if (options.limit !== null && doomed.length >= options.limit) break;
      if (entry.index.updatedAt >= options.before) break;
      if (!BUSY_STATUSES.includes(entry.index.status)) doomed.push(entry.ticketId);
    }
    for (const ticketId of doomed) tickets.remove(ticketId);
    return doomed.length;
  }

  async close(): Promise<void> {
    // nothing to release: the data belongs to its MemoryStoreData
  }

  /** The namespace's live data (after a `wipe`, a fresh one). */
  private current(): MemoryNamespace {
    return this.data.namespace(this.namespace);
  }
}
