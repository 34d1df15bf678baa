import {
  ConfigurationError,
  StoreError,
  validateCommitRequest,
  validateEventsQuery,
  validateTicketId,
  type CommitRequest,
  type CommitResult,
  type EventsQuery,
  type LoadedTicket,
  type StoredTicketEvent,
  type TicketStore,
} from '@ticketflow/core';
import { COMMIT_SCRIPT, COMMIT_SCRIPT_SHA1 } from './commit-script.js';
import { OwnedConnection } from './owned-connection.js';
import type { RedisClientLike, RedisTicketStoreOptions } from './redis-ticket-store-options.js';
import { resolveOptions, type ResolvedOptions } from './resolve-options.js';
import { decodeCommitReply, decodeEventsReply, decodeLoadReply, encodeDocument, encodeEvent } from './ticket-codec.js';
import { ticketKeys, type TicketKeys } from './ticket-keys.js';
import { toStoreError } from './to-store-error.js';
import { withTimeout } from './with-timeout.js';

const ADAPTER = 'redis';

/**
 * A {@link TicketStore} on Redis (DESIGN §5). Each ticket is a hash (version, last event
 * seq, JSON document) and a list of events, under `tf:<namespace>:{<ticket id>}:…`, so
 * both keys share one Redis Cluster slot. A commit is one Lua script: compare-and-set on
 * the version, document write and event append happen atomically or not at all.
 *
 * Every operation is one round trip (a commit takes two only when the server lost its
 * script cache). Failures are thrown as `StoreError`: `unavailable` (refused, timed out,
 * server loading or read-only…), `corrupt` (a stored value that does not parse) or
 * `invalid` (bad arguments, a request the server refuses). A version mismatch is returned.
 *
 * @example
 * ```ts
 * const store = new RedisTicketStore({ url: process.env.REDIS_URL!, namespace: 'support', ttlMs: 30 * 86_400_000 });
 * const agent = createAgent({ store, llm, intents, workflows });
 * // …
 * await store.close();
 * ```
 */
export class RedisTicketStore implements TicketStore {
  /** The adapter's name, as in `StoreError.adapter`. */
  readonly name = 'redis';
  private readonly options: ResolvedOptions;
  private readonly owned: OwnedConnection | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;

  /**
   * @throws {ConfigurationError} when the options are unusable (no url or client, bad
   * namespace or timeouts, a URL node-redis cannot parse). Nothing connects yet: the first
   * operation does.
   */
  constructor(options: RedisTicketStoreOptions) {
    this.options = resolveOptions(options);
    if (this.options.url !== undefined) {
      try {
        this.owned = new OwnedConnection(this.options.url, this.options.connectTimeoutMs);
      } catch (error) {
        const mapped = toStoreError(error, 'reading the url', this.options.secrets);
        throw new ConfigurationError({ message: mapped.message, cause: mapped.cause });
      }
    }
  }

  /** See {@link TicketStore.load}: one `HMGET`. */
  async load(ticketId: string): Promise<LoadedTicket | null> {
    return this.guard('load', async () => {
      validateTicketId(ADAPTER, ticketId);
      const keys = this.keys(ticketId);
      return decodeLoadReply(await this.send((client) => client.hmGet(keys.document, ['version', 'document'])));
    });
  }

  /** See {@link TicketStore.commit}: one `EVALSHA` of the commit script. */
  async commit(request: CommitRequest): Promise<CommitResult> {
    return this.guard('commit', async () => {
      validateCommitRequest(ADAPTER, request);
      const keys = this.keys(request.ticketId);
      const script = {
        keys: [keys.document, keys.events],
        arguments: [
          request.expectedVersion === null ? '' : String(request.expectedVersion),
          encodeDocument(request.ticket),
          this.options.ttl,
          ...request.events.map(encodeEvent),
        ],
      };
      let reply: unknown;
      try {
        reply = await this.send((client) => client.evalSha(COMMIT_SCRIPT_SHA1, script));
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        reply = await this.send((client) => client.eval(COMMIT_SCRIPT, script));
      }
      return decodeCommitReply(reply);
    });
  }

  /** See {@link TicketStore.events}: one `LRANGE`. */
  async events(ticketId: string, options: EventsQuery = {}): Promise<StoredTicketEvent[]> {
    return this.guard('events', async () => {
      validateTicketId(ADAPTER, ticketId);
      validateEventsQuery(ADAPTER, options);
      const keys = this.keys(ticketId);
      const after = options?.after ?? 0;
      // seq n sits at index n - 1; a stop past the safe range means "to the end".
      const stop = options?.limit === undefined ? -1 : after + options.limit - 1;
      const reply = await this.send((client) => client.lRange(keys.events, after, Number.isSafeInteger(stop) ? stop : -1));
      return decodeEventsReply(reply, after);
    });
  }

  /** See {@link TicketStore.delete}: one `UNLINK` of both keys. */
  async delete(ticketId: string): Promise<void> {
    await this.guard('delete', async () => {
      validateTicketId(ADAPTER, ticketId);
      const keys = this.keys(ticketId);
      await this.send((client) => client.unlink([keys.document, keys.events]));
    });
  }

  /**
   * Waits for the operations in flight, then closes the connection the store created.
   * A client passed in stays open. Calling it again is harmless; any other method then
   * fails with `StoreError` `unavailable`.
   */
  async close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.inFlight]);
      await this.owned?.close();
    })();
    return this.closing;
  }

  private keys(ticketId: string): TicketKeys {
    return ticketKeys(this.options.encodedNamespace, ticketId);
  }

  /** Runs one operation: refuses a closed store, tracks it for `close`, maps its errors. */
  private async guard<T>(operation: string, body: () => Promise<T>): Promise<T> {
    if (this.closing) throw new StoreError({ kind: 'unavailable', adapter: ADAPTER, message: 'the store is closed' });
    const running = body();
    this.inFlight.add(running);
    try {
      return await running;
    } catch (error) {
      throw toStoreError(error, operation, this.options.secrets);
    } finally {
      this.inFlight.delete(running);
    }
  }

  /** Sends one command, bounded by `commandTimeoutMs`. */
  private async send<T>(command: (client: RedisClientLike) => Promise<T>): Promise<T> {
    const client = this.options.client ?? (await this.owned!.acquire());
    const timeoutMs = this.options.commandTimeoutMs;
    return withTimeout(command(client), timeoutMs, () => {
      // A server that stopped answering leaves the connection stuck: start over next time.
      this.owned?.reset();
      return new StoreError({ kind: 'unavailable', adapter: ADAPTER, message: `Redis did not answer within ${timeoutMs} ms` });
    });
  }
}
