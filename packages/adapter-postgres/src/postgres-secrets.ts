import { secretsOfUrl } from '@ticketflow/core/adapter';
import type { PostgresPool } from './postgres-ticket-store-options.js';

/** A `pg.Pool` keeps its configuration in `options`: keep its password out of errors too. */
export function secretsOfPool(pool: PostgresPool): string[] {
  const options = (pool as { options?: { password?: unknown; connectionString?: unknown } }).options;
  const secrets = typeof options?.connectionString === 'string' ? secretsOfUrl(options.connectionString) : [];
  if (typeof options?.password === 'string' && options.password.length > 0) secrets.push(options.password);
  return secrets;
}
