import { createClient } from 'redis';
import type { RedisClientLike } from './redis-ticket-store-options.js';
import { isReplyError } from './to-redis-store-error.js';
import { withTimeout } from './with-timeout.js';

type OwnedClient = ReturnType<typeof createClient>;

const RECONNECT_ATTEMPTS = 3;

/**
 * The client of a store created from a URL. It connects lazily, one attempt at a time,
 * each bounded by `connectTimeoutMs` and made of a few quick tries. Commands are never
 * queued while the connection is down (no offline queue): an operation that finds the
 * connection lost makes a fresh attempt itself, so a store recovers as soon as the
 * server is back and fails fast while it is not.
 */
export class OwnedConnection {
  private client: OwnedClient | undefined;
  private unused: OwnedClient | undefined;
  private connecting: Promise<OwnedClient> | undefined;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly connectTimeoutMs: number,
  ) {
    // Built now so that a malformed URL fails in the constructor.
    this.unused = this.createClient();
  }

  /** The connected client when it is ready and no attempt is under way (the common case: no promise to wait for), else undefined. */
  ready(): RedisClientLike | undefined {
    return this.client?.isReady && this.connecting === undefined ? this.client : undefined;
  }

  async acquire(): Promise<RedisClientLike> {
    // A client that lost its connection is not waited for: the operation makes its own
    // bounded attempt, so it succeeds as soon as the server is back, or fails fast.
    if (this.client?.isReady && this.connecting === undefined) return this.client;
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Drops a connection that stopped answering, so that the next operation reconnects. */
  reset(): void {
    if (this.client) destroy(this.client);
    this.client = undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connecting?.catch(() => undefined);
    this.reset();
    this.unused = undefined;
  }

  private async connect(): Promise<OwnedClient> {
    if (this.client) destroy(this.client);
    // A node-redis client destroyed in the middle of connecting cannot be trusted to
    // connect again, so every attempt gets a fresh one.
    const client = this.unused ?? this.createClient();
    this.unused = undefined;
    this.client = client;
    const attempt = client.connect();
    attempt.catch(() => undefined);
    try {
      await withTimeout(attempt, this.connectTimeoutMs, () => new Error(`no connection within ${this.connectTimeoutMs} ms`));
      if (!client.isReady) throw new Error('the connection closed while it was being established');
      if (this.closed) throw new Error('the store was closed while connecting');
      return client;
    } catch (error) {
      destroy(client);
      if (this.client === client) this.client = undefined;
      throw error;
    }
  }

  private createClient(): OwnedClient {
    // node-redis reconnects a dropped connection by itself, on a timer that destroy() does not
    // always cancel: a client dropped during that back-off came back and stayed connected,
    // idle, one more per network blip, past close(). So a client reconnects only while it
    // makes its first connection (the quick tries of one attempt); once it was ready, a drop
    // ends it, and the next operation makes a fresh attempt with a new client (acquire).
    let established = false;
    const client: OwnedClient = createClient({
      url: this.url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: this.connectTimeoutMs,
        reconnectStrategy: (retries: number, cause: Error) =>
          established || retired.has(client) || isReplyError(cause) || retries >= RECONNECT_ATTEMPTS ? false : 100 * 2 ** retries,
      },
    });
    client.on('ready', () => {
      established = true;
      if (retired.has(client)) destroy(client); // connected after all, though given up: never left open
    });
    // Without a listener an 'error' event would crash the process; failures reach the
    // caller through the rejected commands instead.
    client.on('error', () => undefined);
    return client;
  }
}

/** Clients this process gave up: whatever connection they make later is closed at once. */
const retired = new WeakSet<OwnedClient>();

function destroy(client: OwnedClient): void {
  retired.add(client);
  try {
    client.destroy();
  } catch {
    // already closed
  }
}
