import { randomBytes } from 'node:crypto';
import { probeServer, requireTestServer } from '@ticketflow/core/testing';
import { createClient } from 'redis';

/** The Redis the integration tests use. */
export const TEST_REDIS_URL = process.env.TICKETFLOW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether the test Redis answers a PING within two seconds. When it does not: under
 * `CI=true` this throws, so the file fails instead of skipping; elsewhere it prints a loud
 * banner and returns false, and the caller skips its integration tests.
 */
export function testRedisAvailable(suite: string): Promise<boolean> {
  return requireTestServer({
    name: 'Redis',
    url: TEST_REDIS_URL,
    variable: 'TICKETFLOW_TEST_REDIS_URL',
    suite: `the integration tests of "${suite}"`,
    probe: () => probeServer('redis', TEST_REDIS_URL),
  });
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

/** Every key of a (plain alphanumeric) namespace: layout 2 (`tf:{ns}:…`) and layout 1 (`tf:ns:…`). */
export async function keysOf(client: TestClient, namespace: string): Promise<string[]> {
  if (!/^[A-Za-z0-9_.-]+$/.test(namespace)) throw new Error(`not a plain namespace: ${namespace}`);
  const keys: string[] = [];
  for (const pattern of [`tf:{${namespace}}:*`, `tf:${namespace}:*`]) {
    for await (const batch of client.scanIterator({ MATCH: pattern, COUNT: 1_000 })) keys.push(...batch);
  }
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
