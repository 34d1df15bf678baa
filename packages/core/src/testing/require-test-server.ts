import { createConnection } from 'node:net';

/** Options of {@link requireTestServer}. */
export interface RequireTestServerOptions {
  /** The server's name in messages, e.g. `PostgreSQL`. */
  name: string;
  /** Its URL (a password in it is masked in every message). */
  url: string;
  /** The variable that overrides the URL, named in the advice. */
  variable?: string;
  /** What would be skipped, e.g. `the Redis integration tests`. */
  suite: string;
  /** Resolves when the server answers; rejects (with the reason) when it does not. */
  probe: () => Promise<unknown>;
}

/**
 * The rule for integration suites against real servers: when the server answers, run;
 * when it does not, **fail under `CI=true`** (throw) and otherwise skip with a loud banner
 * giving the reason. Use the result with `describe.skipIf(!available)`.
 *
 * @example
 * ```ts
 * const available = await requireTestServer({ name: 'PostgreSQL', url, variable: 'TICKETFLOW_TEST_PG_URL',
 *   suite: 'the PostgreSQL integration tests', probe: () => probeServer('postgres', url) });
 * describe.skipIf(!available)('on PostgreSQL', () => { … });
 * ```
 */
export async function requireTestServer(options: RequireTestServerOptions): Promise<boolean> {
  let reason: string | undefined;
  try {
    await options.probe();
    return true;
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  const where = options.url.replace(/\/\/([^:@/]*)(:[^@/]*)?@/, (_, user: string, password?: string) => `//${user}${password ? ':***' : ''}@`);
  const message = `${options.name} does not answer at ${where} (${reason})`;
  if (/^(1|true)$/i.test(process.env.CI ?? '')) throw new Error(`${message}. CI=true: ${options.suite} may not be skipped.`);
  const banner = '!'.repeat(78);
  const advice = options.variable ? `\n!! Start it or set ${options.variable}.` : '';
  console.warn(`\n${banner}\n!! ${message}.\n!! SKIPPING ${options.suite} (allowed outside CI only).${advice}\n${banner}\n`);
  return false;
}

/**
 * Resolves when a PostgreSQL or Redis server answers its own protocol's cheapest exchange
 * (an SSLRequest; a PING) within `timeoutMs`, without a driver; rejects with the reason.
 */
export function probeServer(kind: 'postgres' | 'redis', url: string, timeoutMs = 2_000): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: hostname || '127.0.0.1', port: Number(port || (kind === 'postgres' ? 5432 : 6379)) });
    const timer = setTimeout(() => done(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    function done(error?: Error) {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    }
    socket.once('error', (error) => done(error));
    socket.once('connect', () => {
      if (kind === 'redis') socket.write('PING\r\n');
      else socket.write(Buffer.from([0, 0, 0, 8, 4, 210, 22, 47])); // SSLRequest: any PostgreSQL answers one byte
      socket.once('data', (data) => {
        const ok = kind === 'redis' ? /^\+PONG|^-NOAUTH/.test(data.toString()) : data.length >= 1;
        done(ok ? undefined : new Error(`unexpected answer ${JSON.stringify(data.toString().slice(0, 40))}`));
      });
    });
  });
}
