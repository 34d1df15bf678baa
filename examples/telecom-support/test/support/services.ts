import { probeServer, requireTestServer } from '@ticketflow/core/testing';

/** Test servers: the machine's own by default, overridable like every package's tests. */
export const PG_URL = process.env.TICKETFLOW_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TICKETFLOW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A namespace no other run uses. */
export const RUN_NAMESPACE = `example-telecom-${process.pid}-${Date.now().toString(36)}`;

/**
 * True when the server answers its own protocol within two seconds. When it does not:
 * under `CI=true` this throws (the suite must fail, never skip); otherwise it prints a
 * loud banner and returns false (the suite skips).
 */
export function requireService(kind: 'postgres' | 'redis', url: string): Promise<boolean> {
  return requireTestServer({
    name: kind === 'postgres' ? 'PostgreSQL' : 'Redis',
    url,
    variable: kind === 'postgres' ? 'TICKETFLOW_TEST_PG_URL' : 'TICKETFLOW_TEST_REDIS_URL',
    suite: `the telecom-support HTTP tests on ${kind}`,
    probe: () => probeServer(kind, url),
  });
}

/** A TCP port nothing listens on, and nothing in the run will (see `closedPort` of the core's testing kit). */
export { closedPort } from '@ticketflow/core/testing';
