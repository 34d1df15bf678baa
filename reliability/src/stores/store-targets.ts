import { probeServer, requireTestServer } from '@ticketflow/core/testing';
import { join } from 'node:path';
import type { StoreConfig } from '@ticketflow/example-telecom-support';

/** The stores every suite of this package runs against. */
export type StoreKind = 'sqlite' | 'postgres' | 'redis';

export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres', 'redis'];

/** Test servers: the machine's own by default, overridable like every package's tests. */
export const PG_URL = process.env.TICKETFLOW_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TICKETFLOW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The example's store configuration for a kind (`directory` holds the SQLite file). */
export function storeConfigFor(kind: StoreKind, directory: string): StoreConfig {
  switch (kind) {
    case 'sqlite':
      return { kind, filename: join(directory, 'tickets.db') };
    case 'postgres':
      return { kind, connectionString: PG_URL };
    case 'redis':
      return { kind, url: REDIS_URL };
  }
}

/**
 * True when the store's server answers (always for SQLite). When it does not: under
 * `CI=true` this throws (the suite must fail, never skip); otherwise it prints a loud
 * banner and returns false (the store's suites skip).
 */
export function requireStore(kind: StoreKind): Promise<boolean> {
  if (kind === 'sqlite') return Promise.resolve(true);
  const url = kind === 'postgres' ? PG_URL : REDIS_URL;
  return requireTestServer({
    name: kind === 'postgres' ? 'PostgreSQL' : 'Redis',
    url,
    variable: kind === 'postgres' ? 'TICKETFLOW_TEST_PG_URL' : 'TICKETFLOW_TEST_REDIS_URL',
    suite: `the reliability suite on ${kind}`,
    probe: () => probeServer(kind, url),
  });
}
