import { requireTestServer } from '@ticketflow/core/testing';
import pg from 'pg';

/** The test server: `TICKETFLOW_TEST_PG_URL`, else the local default (trust auth, no password). */
export const TEST_PG_URL = process.env.TICKETFLOW_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether the integration suites can run, and why not. */
export interface PostgresAvailability {
  available: boolean;
  url: string;
}

let probe: Promise<PostgresAvailability> | undefined;

/**
 * Probes the test server once per test file. When it does not answer: under `CI=true` this
 * throws, so the suite fails instead of skipping; elsewhere it warns loudly and the caller
 * skips with `describe.skipIf(!postgres.available)`.
 */
export function requirePostgres(): Promise<PostgresAvailability> {
  probe ??= requireTestServer({
    name: 'PostgreSQL',
    url: TEST_PG_URL,
    variable: 'TICKETFLOW_TEST_PG_URL',
    suite: 'the PostgreSQL integration tests',
    probe: selectOne,
  }).then((available) => ({ available, url: TEST_PG_URL }));
  return probe;
}

async function selectOne(): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3_000, query_timeout: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => {});
  }
}

/** A name no other run uses, for namespaces and schemas. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
