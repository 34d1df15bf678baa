import { parseOptions, unstorableText } from '@ticketflow/core/adapter';
import { z } from 'zod';
import type { PostgresPool, PostgresTicketStoreOptions } from './postgres-ticket-store-options.js';

/** The options of a store, checked, with defaults applied. */
export interface ResolvedPostgresOptions {
  connectionString: string | undefined;
  pool: PostgresPool | undefined;
  namespace: string;
  schema: string;
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  maxConnections: number;
}

const MAX_TIMER_MS = 2_147_483_647;
const milliseconds = z.number().int().min(1).max(MAX_TIMER_MS);

const schema = z
  .object({
    connectionString: z
      .string()
      .min(1, 'connectionString must be a non-empty string such as postgres://user:password@host:5432/database')
      // Never quoted back: it may hold a password.
      .refine(isConnectionString, 'must be a URL such as postgres://user:password@host:5432/database (or a socket directory such as /var/run/postgresql)')
      .optional(),
    pool: z
      .custom<PostgresPool>((value) => typeof (value as PostgresPool | null)?.query === 'function', { message: 'pool must have a query method, like pg.Pool' })
      .optional(),
    // A namespace is part of every index entry: bounded like Redis's, far below a B-tree entry's 2,704 bytes.
    namespace: z
      .string()
      .max(256, 'namespace must be a string of at most 256 characters')
      .refine((text) => unstorableText(text) === undefined, 'namespace must be a string without NUL characters or lone surrogates')
      .optional(),
    schema: z
      .string()
      .refine(
        (text) => text.length > 0 && unstorableText(text) === undefined && Buffer.byteLength(text) <= 63,
        'schema must be a PostgreSQL identifier of 1 to 63 bytes',
      )
      .optional(),
    connectTimeoutMs: milliseconds.optional(),
    queryTimeoutMs: milliseconds.optional(),
    maxConnections: z.number().int().min(1).max(10_000).optional(),
  })
  .superRefine((options, context) => {
    if ((options.connectionString === undefined) === (options.pool === undefined))
      context.addIssue({ code: 'custom', message: 'give exactly one of connectionString and pool' });
    if (options.pool !== undefined && (options.connectTimeoutMs !== undefined || options.maxConnections !== undefined)) {
      context.addIssue({
        code: 'custom',
        message: 'connectTimeoutMs and maxConnections configure a pool the store creates; set them on the pool you pass instead',
      });
    }
  });

/**
 * True for what pg reads as a connection string: a `postgres:`/`postgresql:`/`socket:` URL
 * (also one whose host is left out for a socket, `postgres://user@/db?host=/run/postgresql`),
 * or a socket directory (`/run/postgresql db`). A typo is a configuration error at
 * construction, not an outage reported (and retried) on every call. pg does not read libpq
 * `key=value` settings: they are refused too.
 */
function isConnectionString(text: string): boolean {
  if (text.startsWith('/')) return true;
  if (text !== text.trim() || !/^(postgres|postgresql|socket):/i.test(text)) return false;
  // pg reads a URL without a host (a socket in `?host=`) by putting a dummy host in; so do we.
  for (const candidate of [text, text.replace(/^([a-z]+:\/\/[^/]*@)\//i, '$1localhost/')]) {
    try {
      new URL(candidate);
      return true;
    } catch {
      // try the next reading
    }
  }
  return false;
}

/**
 * Checks the options of `PostgresTicketStore`.
 * @throws {ConfigurationError} listing every problem: unknown keys (with the closest valid
 * one), `ttlMs` (PostgreSQL cannot expire rows: retention is `purge`), bad values.
 */
export function checkPostgresOptions(options: PostgresTicketStoreOptions): ResolvedPostgresOptions {
  const parsed = parseOptions(schema, options, 'PostgresTicketStore', {
    unsupported: { ttlMs: 'PostgreSQL cannot expire rows by itself; retention is store.purge({ before }) (agent.purge({ olderThanMs }) on a schedule)' },
  });
  return {
    connectionString: parsed.connectionString,
    pool: parsed.pool,
    namespace: parsed.namespace ?? '',
    schema: parsed.schema ?? 'public',
    connectTimeoutMs: parsed.connectTimeoutMs ?? 3_000,
    queryTimeoutMs: parsed.queryTimeoutMs ?? 10_000,
    maxConnections: parsed.maxConnections ?? 10,
  };
}
