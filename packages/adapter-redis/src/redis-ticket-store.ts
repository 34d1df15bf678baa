import { ConfigurationError, GuardedTicketStore } from '@ticketflow/core/adapter';
import { checkRedisOptions } from './check-redis-options.js';
import { RedisDriver } from './redis-driver.js';
import type { RedisTicketStoreOptions } from './redis-ticket-store-options.js';
import { toRedisStoreError } from './to-redis-store-error.js';

/**
 * A {@link TicketStore} on Redis (DESIGN §5). Each ticket is a hash (version, last event
 * seq, JSON document, incarnation) and a list of events; each namespace has an index (sorted
 * sets by update time, by status and by claim expiry, and a summary hash) serving `list` and
 * `purge`. Every key of a namespace carries the hash tag `{<namespace>}`, so one Lua script
 * can commit a ticket and update the index atomically, also on Redis Cluster.
 *
 * Every operation is one round trip (a commit takes two only when the server lost its
 * script cache; the first operation of an instance also reads the namespace's key layout).
 * Failures are thrown as `StoreError`: `unavailable` (refused, timed out, server loading or
 * read-only…), `corrupt` (a stored value that does not parse) or `invalid` (bad arguments,
 * a request the server refuses), with an `outcome`. A version mismatch is returned.
 *
 * @example
 * ```ts
 * const store = new RedisTicketStore({ url: process.env.REDIS_URL!, namespace: 'support', ttlMs: 30 * 86_400_000 });
 * const agent = createAgent({ store, llm, intents, workflows });
 * // …
 * await store.close();
 * ```
 */
export class RedisTicketStore extends GuardedTicketStore {
  /**
   * @throws {ConfigurationError} when the options are unusable (unknown keys, no url or
   * client, bad namespace or timeouts, a URL node-redis cannot parse). Nothing connects yet:
   * the first operation does.
   */
  constructor(options: RedisTicketStoreOptions) {
    const resolved = checkRedisOptions(options);
    let driver: RedisDriver;
    try {
      driver = new RedisDriver(resolved);
    } catch (error) {
      const mapped = toRedisStoreError(error, 'load', resolved.secrets);
      throw new ConfigurationError({ message: mapped.message.replace('load failed', 'reading the url failed'), cause: mapped.cause });
    }
    super(driver);
  }
}
