import pg from 'pg';

/** The test server: `TICKETFLOW_TEST_PG_URL`, else the local default (trust auth, no password). */
export const TEST_PG_URL = process.env.TICKETFLOW_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether the integration suites can run, and why not. */
export interface PostgresAvailability {
  available: boolean;
  url: string;
  reason?: string;
}

const isCI = /^(1|true)$/i.test(process.env.CI ?? '');
let probe: Promise<PostgresAvailability> | undefined;

/**
 * Probes the test server once per test file. When it does not answer: under `CI=true` this
 * throws, so the suite fails instead of skipping; elsewhere it warns loudly and the caller
 * skips with `describe.skipIf(!postgres.available)`.
 */
export function requirePostgres(): Promise<PostgresAvailability> {
  probe ??= check();
  return probe;
}

async function check(): Promise<PostgresAvailability> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 3_000, query_timeout: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { available: true, url: TEST_PG_URL };
  } catch (error) {
    const where = TEST_PG_URL.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
    const reason = `PostgreSQL does not answer at ${where}: ${(error as Error).message || String(error)}`;
    if (isCI) throw new Error(`${reason}. CI=true: the PostgreSQL integration tests may not be skipped.`);
    const banner = '!'.repeat(78);
    console.warn(`\n${banner}\n!! SKIPPING the PostgreSQL integration tests.\n!! ${reason}\n!! Set TICKETFLOW_TEST_PG_URL or start the server (CI=true makes this a failure).\n${banner}\n`);
    return { available: false, url: TEST_PG_URL, reason };
  } finally {
    await client.end().catch(() => {});
  }
}

/** A name no other run uses, for namespaces and schemas. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
