import type { PostgresPool } from './postgres-ticket-store-options.js';

/** A `pg.Pool` keeps its configuration in `options`: keep its password out of errors too. */
export function secretsOfPool(pool: PostgresPool): string[] {
  const options = (pool as { options?: { password?: unknown; connectionString?: unknown } }).options;
  const secrets = typeof options?.connectionString === 'string' ? passwordsOf(options.connectionString) : [];
  if (typeof options?.password === 'string' && options.password.length > 0) secrets.push(options.password);
  return secrets;
}

/** The connection string's password, raw and decoded, so that neither reaches an error. */
export function passwordsOf(connectionString: string): string[] {
  let raw: string | undefined;
  try {
    raw = new URL(connectionString).password;
  } catch {
    raw = /^[a-z][a-z0-9+.-]*:\/\/[^:@/]*:(.*)@[^@]*$/is.exec(connectionString)?.[1];
  }
  if (!raw) return [];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // not percent-encoded: the raw form is the password
  }
  return [...new Set([raw, decoded])];
}
