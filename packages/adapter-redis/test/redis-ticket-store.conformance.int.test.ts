import { runTicketStoreConformance } from '@ticketflow/core/testing';
import { afterAll, it } from 'vitest';
import { RedisTicketStore } from '../src/index.js';
import { dropNamespaces, TEST_REDIS_URL, testRedisAvailable } from './redis-test-server.js';

const available = await testRedisAvailable('RedisTicketStore conformance');
const namespaces = new Set<string>();

if (available) {
  afterAll(() => dropNamespaces(namespaces));
  runTicketStoreConformance({
    name: 'redis',
    create: ({ namespace }) => {
      namespaces.add(namespace);
      return new RedisTicketStore({ url: TEST_REDIS_URL, namespace });
    },
    capabilities: {
      persistent: true,
      // Redis losing the namespace's data (a restart without persistence): its keys deleted behind the store's back.
      wipe: ({ namespace }) => dropNamespaces([namespace]),
      ttl: ({ namespace, ttlMs }) => {
        namespaces.add(namespace);
        return new RedisTicketStore({ url: TEST_REDIS_URL, namespace, ttlMs });
      },
    },
  });
} else {
  it.skip('TicketStore conformance: redis (no Redis server, see the banner above)', () => undefined);
}
