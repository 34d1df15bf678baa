import { parseOptions, unstorableText } from '@ticketflow/core/adapter';
import { z } from 'zod';
import type { SqliteDatabase, SqliteTicketStoreOptions } from './sqlite-ticket-store-options.js';

/** The options of a store, checked, with defaults applied. */
export interface ResolvedSqliteOptions {
  filename: string | undefined;
  database: SqliteDatabase | undefined;
  namespace: string;
  busyTimeoutMs: number;
}

const MAX_TIMER_MS = 2_147_483_647;

const schema = z
  .object({
    filename: z.string().min(1, 'filename must be a non-empty path or ":memory:"').optional(),
    database: z
      .custom<SqliteDatabase>(
        (value) => typeof (value as SqliteDatabase | null)?.prepare === 'function' && typeof (value as SqliteDatabase).exec === 'function',
        {
          message: 'database must be an open better-sqlite3 Database (prepare and exec)',
        },
      )
      .optional(),
    namespace: z
      .string()
      .refine((text) => unstorableText(text) === undefined, 'namespace must be well-formed Unicode without NUL characters')
      .optional(),
    busyTimeoutMs: z.number().int().min(0).max(MAX_TIMER_MS).optional(),
  })
  .superRefine((options, context) => {
    if ((options.filename === undefined) === (options.database === undefined))
      context.addIssue({ code: 'custom', message: 'give exactly one of filename and database' });
  });

/**
 * Checks the options of `SqliteTicketStore`.
 * @throws {ConfigurationError} listing every problem: unknown keys (with the closest valid
 * one), `ttlMs` (SQLite cannot expire rows: retention is `purge`), bad values.
 */
export function checkSqliteOptions(options: SqliteTicketStoreOptions): ResolvedSqliteOptions {
  const parsed = parseOptions(schema, options, 'SqliteTicketStore', {
    unsupported: { ttlMs: 'SQLite cannot expire rows by itself; retention is store.purge({ before }) (agent.purge({ olderThanMs }) on a schedule)' },
  });
  return { filename: parsed.filename, database: parsed.database, namespace: parsed.namespace ?? '', busyTimeoutMs: parsed.busyTimeoutMs ?? 5_000 };
}
