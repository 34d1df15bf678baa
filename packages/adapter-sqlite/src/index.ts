export { SqliteTicketStore } from './sqlite-ticket-store.js';
export { SQLITE_SCHEMA_VERSION } from './sqlite-schema.js';
export type {
  SqliteCommonOptions,
  SqliteDatabase,
  SqliteDatabaseOptions,
  SqliteFileOptions,
  SqliteStatement,
  SqliteTicketStoreOptions,
} from './sqlite-ticket-store-options.js';
