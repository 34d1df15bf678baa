export { PostgresTicketStore } from './postgres-ticket-store.js';
export { POSTGRES_SCHEMA_VERSION } from './postgres-schema.js';
export type {
  PostgresCommonOptions,
  PostgresConnectionStringOptions,
  PostgresPool,
  PostgresPoolOptions,
  PostgresQueryConfig,
  PostgresQueryResult,
  PostgresTicketStoreOptions,
} from './postgres-ticket-store-options.js';
