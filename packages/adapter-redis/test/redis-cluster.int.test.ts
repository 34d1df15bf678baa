import { HOSTILE_TICKET_IDS, runTicketStoreConformance } from '@ticketflow/core/testing';
import { createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTicketStore } from '../src/index.js';
import { legacyTicketKeys, namespaceKeys, ticketKeys } from '../src/ticket-keys.js';
import { clusterKeySlot } from './cluster-key-slot.js';

// Optional: runs only when TICKETFLOW_TEST_REDIS_CLUSTER_URL names a node of a Redis Cluster
// (a throwaway one: `redis-cli --cluster create …`). The store then works through a
// node-redis cluster client passed in, and the server itself confirms the key slots.
const clusterUrl = process.env.TICKETFLOW_TEST_REDIS_CLUSTER_URL;
const cluster = clusterUrl ? createCluster({ rootNodes: [{ url: clusterUrl }] }) : undefined;
cluster?.on('error', () => undefined);
const namespaces = new Set<string>();

if (cluster) {
  beforeAll(async () => {
    await cluster.connect();
  });
  afterAll(async () => {
    for (const master of cluster.masters) {
      const node = await cluster.nodeClient(master);
      for (const namespace of namespaces) {
        for (const pattern of [`tf:{${namespace}}:*`, `tf:${namespace}:*`]) {
          for await (const keys of node.scanIterator({ MATCH: pattern, COUNT: 1_000 })) {
            for (const key of keys) await cluster.unlink(key);
          }
        }
      }
    }
    cluster.destroy();
  });

  runTicketStoreConformance({
    name: 'redis cluster (client passed in)',
    create: ({ namespace }) => {
      namespaces.add(namespace);
      return new RedisTicketStore({ client: cluster, namespace });
    },
    capabilities: {
      persistent: true,
      wipe: async ({ namespace }) => {
        for (const master of cluster.masters) {
          const node = await cluster.nodeClient(master);
          for await (const keys of node.scanIterator({ MATCH: `tf:{${namespace}}:*`, COUNT: 1_000 })) {
            for (const key of keys) await cluster.unlink(key);
          }
        }
      },
      ttl: ({ namespace, ttlMs }) => {
        namespaces.add(namespace);
        return new RedisTicketStore({ client: cluster, namespace, ttlMs });
      },
    },
  });

  describe('RedisTicketStore on Redis Cluster', () => {
    it('§5 puts every key of a namespace — tickets, events, index — in the slot the server computes', async () => {
      const node = await cluster.nodeClient(cluster.masters[0]!);
      const slot = await node.sendCommand<number>(['CLUSTER', 'KEYSLOT', namespaceKeys('default').updated]);
      for (const id of [...HOSTILE_TICKET_IDS, '}{', '{T-1}', 'T-1']) {
        const keys = ticketKeys('default', id);
        for (const key of [keys.document, keys.events, ...Object.values(namespaceKeys('default'))]) {
          expect(await node.sendCommand<number>(['CLUSTER', 'KEYSLOT', key])).toBe(slot);
          expect(clusterKeySlot(key)).toBe(slot);
        }
      }
    });

    it('§5 upgrades tickets of the 0.1 layout spread over every node', async () => {
      const namespace = `tfcluster${Date.now().toString(36)}`;
      namespaces.add(namespace);
      for (let index = 0; index < 20; index += 1) {
        const keys = legacyTicketKeys(namespace, `T-${index}`);
        await cluster.hSet(keys.document, { version: '1', seq: '0', document: JSON.stringify({ id: `T-${index}`, updatedAt: '2026-01-01T00:00:00.000Z' }) });
      }
      const store = new RedisTicketStore({ client: cluster, namespace });
      expect((await store.list()).tickets).toHaveLength(20);
      expect(await store.purge({ before: '2026-02-01T00:00:00.000Z' })).toBe(20);
    });
  });
} else {
  it.skip('RedisTicketStore on Redis Cluster (set TICKETFLOW_TEST_REDIS_CLUSTER_URL to run)', () => undefined);
}
