import { BUSY_STATUSES, compareTicketOrder, mergeTicketLists } from '@ticketflow/core/adapter';
import type {
  CommitResult,
  EncodedCommit,
  ListPosition,
  ResolvedListQuery,
  ResolvedPurgeOptions,
  StoredEventRow,
  StoredTicketRow,
  StoreError,
  StoreOperation,
  TicketStoreDriver,
  TicketSummary,
} from '@ticketflow/core/adapter';
import type { ResolvedRedisOptions } from './check-redis-options.js';
import { OwnedConnection } from './owned-connection.js';
import { readExpiredClaims, readIndexRanges } from './read-index.js';
import type { IndexRange, ReadIndex } from './read-index.js';
import { decodeCommitReply, decodeEventsReply, decodeLoadReply } from './redis-replies.js';
import { COMMIT_SCRIPT, DELETE_SCRIPT, LIST_SCRIPT } from './redis-scripts.js';
import type { RedisScript } from './redis-scripts.js';
import type { RedisClientLike } from './redis-ticket-store-options.js';
import { documentKeyPrefix, encodeKeyPart, namespaceKeys, ticketKeys } from './ticket-keys.js';
import type { NamespaceKeys } from './ticket-keys.js';
import { toRedisStoreError } from './to-redis-store-error.js';
import type { RedisCallPhase } from './to-redis-store-error.js';
import { KEY_LAYOUT, upgradeKeyLayout } from './upgrade-key-layout.js';
import { CommandTimeoutError, withTimeout } from './with-timeout.js';

const PURGE_BATCH = 200;

/** Sends one command on the store's client; the phase it reached is recorded for `outcome`. */
export type Send = <T>(command: (client: RedisClientLike) => Promise<T>) => Promise<T>;

/**
 * The Redis backend of `RedisTicketStore`: each ticket is a hash and a list, the namespace's
 * index sorted sets and a summary hash, all under one hash tag; every write is one Lua
 * script, so the document, the events and the index change together.
 */
export class RedisDriver implements TicketStoreDriver {
  readonly adapter = 'redis';
  readonly owned: OwnedConnection | undefined;
  private readonly index: NamespaceKeys;
  private readonly documentPrefix: string;
  private layoutReady: Promise<void> | null = null;
  /** Set once the namespace's key layout was found current (or upgraded): later operations skip the check. */
  private layoutChecked = false;

  constructor(private readonly options: ResolvedRedisOptions) {
    this.index = namespaceKeys(options.encodedNamespace);
    this.documentPrefix = documentKeyPrefix(options.encodedNamespace);
    if (options.url !== undefined) this.owned = new OwnedConnection(options.url, options.connectTimeoutMs);
  }

  load(ticketId: string): Promise<StoredTicketRow | null> {
    const keys = this.keys(ticketId);
    return this.run('load', async (send) => decodeLoadReply(await send((client) => client.hmGet(keys.document, ['version', 'document']))));
  }

  commit(commit: EncodedCommit): Promise<CommitResult> {
    const { index } = commit;
    const claimMs = index.claimExpiresAt === null ? '' : String(Date.parse(index.claimExpiresAt));
    const argumentsOf = [
      commit.expectedVersion === null ? '' : String(commit.expectedVersion),
      commit.document,
      this.options.ttl,
      commit.ticketId,
      index.incarnation,
      index.status,
      encodeKeyPart(index.status),
      index.updatedAt,
      index.claimExpiresAt ?? '',
      claimMs,
      String(Date.parse(index.updatedAt)),
      ...commit.events,
    ];
    return this.run('commit', async (send) => decodeCommitReply(await this.script(send, COMMIT_SCRIPT, this.ticketScriptKeys(commit.ticketId), argumentsOf)));
  }

  events(ticketId: string, range: { after: number; limit: number | null }): Promise<StoredEventRow[]> {
    const keys = this.keys(ticketId);
    // seq n sits at index n - 1; a stop past the safe range means "to the end".
    const stop = range.limit === null ? -1 : range.after + range.limit - 1;
    return this.run('events', async (send) =>
      decodeEventsReply(await send((client) => client.lRange(keys.events, range.after, Number.isSafeInteger(stop) ? stop : -1)), range.after),
    );
  }

  async delete(ticketId: string): Promise<void> {
    await this.run('delete', (send) => this.script(send, DELETE_SCRIPT, this.ticketScriptKeys(ticketId), [ticketId, 'delete', '0']));
  }

  list(query: ResolvedListQuery): Promise<TicketSummary[]> {
    return this.run('list', async (send) => {
      const read = this.indexReader(send);
      if (query.claimExpiredBefore !== null) {
        // The claim index is ordered by expiry: the other filters and the list order apply here.
        const claims = await readExpiredClaims(read, Date.parse(query.claimExpiredBefore));
        return mergeTicketLists([claims.filter((ticket) => matchesClaimQuery(ticket, query))], query.limit);
      }
      const bounds = query.statuses !== null ? query.statuses.map((status) => statusRange(status, query)) : [updatedRange(query.after, query.updatedBefore)];
      const ranges = bounds.map(([min, max]) => ({ min, max, wanted: query.limit + 1, ended: false }));
      return mergeTicketLists([await readIndexRanges(read, query.statuses !== null ? 'status' : 'updated', ranges)], query.limit);
    });
  }

  purge(options: ResolvedPurgeOptions): Promise<number> {
    const beforeMs = String(Date.parse(options.before));
    return this.run('purge', async (send) => {
      const read = this.indexReader(send);
      const range: IndexRange = { min: '-', max: `(${options.before}`, wanted: 0, ended: false };
      let purged = 0;
      for (;;) {
        range.wanted = PURGE_BATCH;
        for (const ticket of await readIndexRanges(read, 'updated', [range])) {
          if (options.limit !== null && purged >= options.limit) return purged;
          if (BUSY_STATUSES.includes(ticket.status)) continue;
          // Re-checked by the script: a ticket committed or made busy meanwhile stays.
          const deleted = await this.script(send, DELETE_SCRIPT, this.ticketScriptKeys(ticket.ticketId), [
            ticket.ticketId,
            'purge',
            beforeMs,
            ...BUSY_STATUSES,
          ]);
          purged += Number(deleted);
        }
        if (range.ended) return purged;
      }
    });
  }

  async close(): Promise<void> {
    await this.owned?.close();
  }

  toStoreError(error: unknown, operation: StoreOperation): StoreError {
    return toRedisStoreError(error, operation, this.options.secrets);
  }

  private keys(ticketId: string) {
    return ticketKeys(this.options.encodedNamespace, ticketId);
  }

  private ticketScriptKeys(ticketId: string): string[] {
    const keys = this.keys(ticketId);
    const { updated, status, claims, summaries, expiry } = this.index;
    return [keys.document, keys.events, updated, status, claims, summaries, expiry];
  }

  /** Calls the list script on the namespace's index. */
  private indexReader(send: Send): ReadIndex {
    const { updated, status, claims, summaries, expiry } = this.index;
    return (argumentsOf) => this.script(send, LIST_SCRIPT, [updated, status, claims, summaries, expiry], [this.documentPrefix, ...argumentsOf]);
  }

  /** Runs a script: EVALSHA, then EVAL once if the server lost its script cache. */
  private async script(send: Send, script: RedisScript, keys: string[], argumentsOf: string[]): Promise<unknown> {
    const call = { keys, arguments: argumentsOf };
    try {
      return await send((client) => client.evalSha(script.sha1, call));
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return send((client) => client.eval(script.source, call));
    }
  }

  /**
   * Runs one operation: upgrades the namespace's key layout first if needed (once per
   * instance), then the work, mapping failures with the phase they reached.
   */
  private async run<T>(operation: StoreOperation, work: (send: Send) => Promise<T>): Promise<T> {
    let phase: RedisCallPhase = 'connect';
    const send: Send = async (command) => {
      phase = 'connect';
      const client = this.options.client ?? this.owned!.ready() ?? (await this.owned!.acquire());
      phase = 'sent';
      return withTimeout(command(client), this.options.commandTimeoutMs, () => {
        // A server that stopped answering leaves the connection stuck: start over next time.
        this.owned?.reset();
        return new CommandTimeoutError(`Redis did not answer within ${this.options.commandTimeoutMs} ms`);
      });
    };
    if (!this.layoutChecked) {
      try {
        await this.ensureLayout(send);
      } catch (error) {
        throw toRedisStoreError(error, operation, this.options.secrets, 'connect');
      }
    }
    try {
      return await work(send);
    } catch (error) {
      throw toRedisStoreError(error, operation, this.options.secrets, phase);
    }
  }

  private ensureLayout(send: Send): Promise<void> {
    this.layoutReady ??= (async () => {
      const [layout] = (await send((client) => client.hmGet(this.index.meta, ['schema']))) as unknown[];
      if (String(layout) !== KEY_LAYOUT)
        await upgradeKeyLayout({
          send,
          script: (script, keys, argumentsOf) => this.script(send, script, keys, argumentsOf),
          encodedNamespace: this.options.encodedNamespace,
          client: this.options.client,
        });
      this.layoutChecked = true;
    })().catch((error: unknown) => {
      this.layoutReady = null;
      throw error;
    });
    return this.layoutReady;
  }
}

/** The lexicographic range of the updated index after a position, before a time. */
function updatedRange(after: ListPosition | null, updatedBefore: string | null): [string, string] {
  return [after === null ? '-' : `(${after.updatedAt} ${after.ticketId}`, updatedBefore === null ? '+' : `(${updatedBefore}`];
}

/** The lexicographic range of one status in the status index: members `<status> <updatedAt> <id>`. */
function statusRange(status: string, query: ResolvedListQuery): [string, string] {
  const prefix = `${encodeKeyPart(status)} `;
  const lower = query.after === null ? `[${prefix}` : `(${prefix}${query.after.updatedAt} ${query.after.ticketId}`;
  // Encoded statuses hold no space or '!': every member of this status sorts before `<status>!`.
  const upper = query.updatedBefore === null ? `(${encodeKeyPart(status)}!` : `(${prefix}${query.updatedBefore}`;
  return [lower, upper];
}

function matchesClaimQuery(ticket: TicketSummary, query: ResolvedListQuery): boolean {
  if (query.statuses !== null && !query.statuses.includes(ticket.status)) return false;
  if (query.updatedBefore !== null && !(ticket.updatedAt < query.updatedBefore)) return false;
  return query.after === null || compareTicketOrder(ticket, query.after) > 0;
}
