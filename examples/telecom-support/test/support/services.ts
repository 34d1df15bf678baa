import { createConnection } from 'node:net';

/** Test servers: the machine's own by default, overridable like every package's tests. */
export const PG_URL = process.env.TICKETFLOW_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TICKETFLOW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const isCI = /^(1|true)$/i.test(process.env.CI ?? '');

/** A namespace no other run uses. */
export const RUN_NAMESPACE = `example-telecom-${process.pid}-${Date.now().toString(36)}`;

/**
 * True when the server answers its own protocol within two seconds. When it does not:
 * under `CI=true` this throws (the suite must fail, never skip); otherwise it prints a
 * loud banner and returns false (the suite skips).
 */
export async function requireService(kind: 'postgres' | 'redis', url: string): Promise<boolean> {
  if (await answers(kind, url)) return true;
  const safeUrl = url.replace(/\/\/[^@/]*@/, '//***@');
  const banner = '!'.repeat(78);
  if (isCI) throw new Error(`${kind} does not answer at ${safeUrl}; CI=true forbids skipping its integration tests`);
  console.warn(`\n${banner}\n!! ${kind} does not answer at ${safeUrl}: its telecom-support HTTP tests are SKIPPED.\n!! Start it or set ${kind === 'postgres' ? 'TICKETFLOW_TEST_PG_URL' : 'TICKETFLOW_TEST_REDIS_URL'}.\n${banner}\n`);
  return false;
}

function answers(kind: 'postgres' | 'redis', url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname || '127.0.0.1', port: Number(port || (kind === 'postgres' ? 5432 : 6379)) });
    const timer = setTimeout(() => done(false), 2_000);
    function done(ok: boolean) {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    }
    socket.once('error', () => done(false));
    socket.once('connect', () => {
      if (kind === 'redis') socket.write('PING\r\n');
      else socket.write(Buffer.from([0, 0, 0, 8, 4, 210, 22, 47])); // SSLRequest: any server answers one byte
      socket.once('data', (data) => done(kind === 'redis' ? /^\+PONG|^-NOAUTH/.test(data.toString()) : data.length >= 1));
    });
  });
}

/** A TCP port nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
