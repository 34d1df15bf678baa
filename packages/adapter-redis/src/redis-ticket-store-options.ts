/**
 * The part of a node-redis client (v5 or later) that {@link RedisTicketStore} uses, typed
 * structurally so that the app's own client fits: `createClient()`, `createClientPool()`,
 * `createCluster()` and `createSentinel()` all have these methods.
 *
 * The store never connects, closes or reconfigures a client it was given; the app does.
 * Give it a connected client with the offline queue disabled (`disableOfflineQueue: true`)
 * if commands must fail fast while the connection is down; the store's own
 * `commandTimeoutMs` bounds every call either way.
 *
 * @example
 * ```ts
 * const client = await createClient({ url, disableOfflineQueue: true }).connect();
 * const store = new RedisTicketStore({ client, namespace: 'support' });
 * ```
 */
export interface RedisClientLike {
  /** `EVALSHA sha1 numkeys keys… arguments…`. */
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** `EVAL script numkeys keys… arguments…` (after a `NOSCRIPT` reply). */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** `HMGET key field…`. */
  hmGet(key: string, fields: string[]): Promise<unknown>;
  /** `LRANGE key start stop`. */
  lRange(key: string, start: number, stop: number): Promise<unknown>;
  /**
   * `SCAN cursor MATCH pattern COUNT n`: used once per namespace, to find tickets stored in
   * the key layout of adapter 0.1 and upgrade them. A plain client or a pool has it; a cluster
   * client is scanned node by node through `masters` and `nodeClient`.
   */
  scan?(cursor: string, options: { MATCH: string; COUNT: number }): Promise<{ cursor: string | number; keys: string[] }>;
  /** A cluster client's master nodes (with {@link RedisClientLike.nodeClient}): scanned one by one. */
  readonly masters?: readonly unknown[] | undefined;
  /** A cluster client's connection to one node. */
  nodeClient?(node: never): Promise<Pick<RedisClientLike, 'scan'>>;
}

/** Options shared by both ways of constructing a {@link RedisTicketStore}. */
export interface RedisTicketStoreCommonOptions {
  /**
   * Keeps several apps or tenants apart on one server: every key starts with
   * `tf:{<namespace>}:`, the braces making it the Redis Cluster hash tag (a namespace lives
   * in one slot). Any non-empty string up to 256 characters; it is percent-encoded in the
   * keys. Default `'default'`.
   */
  namespace?: string | undefined;
  /**
   * Retention: every key of a ticket expires this many milliseconds after the ticket's
   * last commit (`PEXPIRE` at each commit), and its index entries go with it. Absent means
   * kept until deleted or purged; a commit by a store without `ttlMs` removes an earlier
   * expiry (`PERSIST`). `store.purge({ before })` works either way.
   */
  ttlMs?: number | undefined;
  /**
   * How long connecting may take (TCP connect and handshake) before the operation fails
   * with `StoreError` `unavailable`. Only used with `url`. Default 5 000.
   */
  connectTimeoutMs?: number | undefined;
  /**
   * How long one Redis command may wait for its reply before the operation fails with
   * `StoreError` `unavailable`. A timed-out `commit` has `outcome: 'unknown'`: it may
   * have been applied (the caller's retry then sees a conflict). Default 5 000.
   */
  commandTimeoutMs?: number | undefined;
}

/** Connect from a URL: the store creates, owns and closes its client. */
export interface RedisTicketStoreUrlOptions extends RedisTicketStoreCommonOptions {
  /**
   * `redis[s]://[[user][:password]@]host[:port][/db]`. The password never appears in an
   * error the store throws.
   */
  url: string;
  client?: never | undefined;
}

/** Use a client the app already owns (and connects and closes itself). */
export interface RedisTicketStoreClientOptions extends RedisTicketStoreCommonOptions {
  /** A connected node-redis client, pool, cluster or sentinel client. Never closed by the store. */
  client: RedisClientLike;
  url?: never | undefined;
}

/** Options of {@link RedisTicketStore}: a `url` or a `client`, plus the common options. */
export type RedisTicketStoreOptions = RedisTicketStoreUrlOptions | RedisTicketStoreClientOptions;
