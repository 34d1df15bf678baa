/**
 * The adapters' own statements, read from their sources (they are not part of the packages'
 * public API). The floors send exactly what the adapters send — the same SQL text, the same
 * prepared statements, the same Lua script — so that a change in an adapter's statements
 * moves its floor with it and the ratio keeps measuring the adapter's and the core's own
 * work, not a different query plan.
 */
export { prepareSqliteStatements } from '../../../packages/adapter-sqlite/src/sqlite-statements.js';
export { postgresStatements } from '../../../packages/adapter-postgres/src/postgres-statements.js';
export { postgresTables } from '../../../packages/adapter-postgres/src/postgres-schema.js';
export { COMMIT_SCRIPT, COMMIT_SCRIPT_SHA1 } from '../../../packages/adapter-redis/src/commit-script.js';
export { encodeKeyPart, ticketKeys } from '../../../packages/adapter-redis/src/ticket-keys.js';
