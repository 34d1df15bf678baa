import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';

/** The Redis the integration tests use. */
export const TEST_REDIS_URL = process.env.TICKETFLOW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const isCI = /^(1|true)$/i.test(process.env.CI ?? '');

/**
 * Whether the test Redis answers a PING within two seconds. When it does not: under
 * `CI=true` this throws, so the file fails instead of skipping; elsewhere it prints a loud
 * banner and returns false, and the caller skips its integration tests.
 */
export async function testRedisAvailable(suite: string): Promise<boolean> {
  const reason = await probe(TEST_REDIS_URL);
  if (reason === null) return true;
  const where = TEST_REDIS_URL.replace(/\/\/[^@/]*@/, '//***@');
  const message = `Redis at ${where} does not answer (${reason})`;
  if (isCI) throw new Error(`${message}: CI=true, so "${suite}" fails instead of skipping.`);
  const banner = '!'.repeat(78);
  console.warn(`\n${banner}\n!! ${message}.\n!! SKIPPING the integration tests of "${suite}" (allowed outside CI only).\n${banner}\n`);
  return false;
}

/** A namespace no other run uses. */
export function randomNamespace(label: string): string {
  return `tftest_${label}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** A node-redis client as `createClient` makes it. */
export type TestClient = ReturnType<typeof createClient>;

/** A connected client for assertions and clean-up; the caller closes it. */
export async function connectTestClient(): Promise<TestClient> {
  const client = createClient({ url: TEST_REDIS_URL, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Every key of the given (plain alphanumeric) namespaces. */
export async function keysOf(client: TestClient, namespace: string): Promise<string[]> {
  if (!/^[A-Za-z0-9_.-]+$/.test(namespace)) throw new Error(`not a plain namespace: ${namespace}`);
  const keys: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: `tf:${namespace}:*`, COUNT: 1_000 })) keys.push(...batch);
  return keys.sort();
}

/** Deletes every key of the given namespaces (and only those). */
export async function dropNamespaces(namespaces: Iterable<string>): Promise<void> {
  const client = await connectTestClient();
  try {
    for (const namespace of namespaces) {
      const keys = await keysOf(client, namespace);
      if (keys.length > 0) await client.unlink(keys);
    }
  } finally {
    client.destroy();
  }
}

async function probe(url: string): Promise<string | null> {
  const client = createClient({ url, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer within 2 s')), 2_000);
    });
    await Promise.race([client.connect().then(() => client.ping()), timeout]);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    clearTimeout(timer);
    try {
      client.destroy();
    } catch {
      // never connected
    }
  }
}
