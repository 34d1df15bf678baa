import { PostgresTicketStore } from '@ticketflow/adapter-postgres';
import { RedisTicketStore } from '@ticketflow/adapter-redis';
import { SqliteTicketStore } from '@ticketflow/adapter-sqlite';
import type { TicketStore } from '@ticketflow/core';
import type { StoreConfig } from './load-config.js';

/**
 * The store for a configuration. No adapter connects in its constructor: each connects
 * on its first operation and again after a lost connection, so a server built on it
 * starts while the database is down and recovers by itself when it is back. The short
 * timeouts make an unreachable store a quick 503 rather than a hanging request.
 */
export function createStore(config: StoreConfig, namespace?: string): TicketStore {
  const scope = namespace !== undefined ? { namespace } : {};
  switch (config.kind) {
    case 'sqlite':
      return new SqliteTicketStore({ filename: config.filename, ...scope });
    case 'postgres':
      return new PostgresTicketStore({ connectionString: config.connectionString, connectTimeoutMs: 2_000, queryTimeoutMs: 5_000, ...scope });
    case 'redis':
      return new RedisTicketStore({ url: config.url, connectTimeoutMs: 2_000, commandTimeoutMs: 5_000, ...scope });
  }
}
