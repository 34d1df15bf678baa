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

/**
 * A TCP port nothing listens on, and nothing in the run will: a privileged port (below 1024)
 * that refuses connections now. A port bound and released was not enough — the next
 * `listen(0)` of the same run (a test server) could get it back, and the "unreachable" LLM
 * then answered 404.
 */
export async function closedPort(): Promise<number> {
  const { connect } = await import('node:net');
  const refuses = (port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => (socket.destroy(), resolve(false)));
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    });
  for (const port of [9, 47, 101, 113, 1]) if (await refuses(port)) return port;
  throw new Error('no closed privileged port on 127.0.0.1 for the unreachable-LLM tests');
}
