import { GuardedTicketStore } from '@ticketflow/core/adapter';
import { checkPostgresOptions } from './check-postgres-options.js';
import { PostgresDriver } from './postgres-driver.js';
import type { PostgresTicketStoreOptions } from './postgres-ticket-store-options.js';

/**
 * A {@link TicketStore} on PostgreSQL (`pg`). The document is JSONB with a `version`
 * column, the index columns `list` and `purge` read (status, updated_at, claim_expires_at)
 * and the ticket's incarnation; events live in their own table with a per-ticket `seq`.
 * Each operation is one statement, so one round trip: a commit's compare-and-set, index
 * update and event append are a single statement (data-modifying CTEs).
 *
 * The tables are created, upgraded or checked once per store instance, on its first
 * operation. A refused connection fails within `connectTimeoutMs` and a server that stops
 * answering within `queryTimeoutMs`, both as `StoreError` kind `unavailable`; `outcome`
 * says whether the operation may have taken effect (`unknown` when a commit was sent and no
 * answer came).
 *
 * @example
 * ```ts
 * const store = new PostgresTicketStore({ connectionString: 'postgres://app:secret@db:5432/app', namespace: 'support' });
 * const agent = createAgent({ store, llm, intents, workflows });
 * // on shutdown
 * await store.close();
 * ```
 * @throws {ConfigurationError} from the constructor, for unknown or unusable options
 * (including `ttlMs`: retention is `purge`).
 */
export class PostgresTicketStore extends GuardedTicketStore {
  constructor(options: PostgresTicketStoreOptions) {
    super(new PostgresDriver(checkPostgresOptions(options)));
  }
}
