import { createConnection } from 'node:net';
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
export async function requireStore(kind: StoreKind): Promise<boolean> {
  if (kind === 'sqlite') return true;
  const url = kind === 'postgres' ? PG_URL : REDIS_URL;
  if (await answers(kind, url)) return true;
  const safeUrl = url.replace(/\/\/[^@/]*@/, '//***@');
  if (/^(1|true)$/i.test(process.env.CI ?? '')) throw new Error(`${kind} does not answer at ${safeUrl}; CI=true forbids skipping its reliability suite`);
  const banner = '!'.repeat(78);
  console.warn(`\n${banner}\n!! ${kind} does not answer at ${safeUrl}: its reliability suite is SKIPPED.\n!! Start it or set ${kind === 'postgres' ? 'TICKETFLOW_TEST_PG_URL' : 'TICKETFLOW_TEST_REDIS_URL'}.\n${banner}\n`);
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
