import { HOSTILE_TICKET_IDS, runTicketStoreConformance } from '@ticketflow/core/testing';
import { createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTicketStore } from '../src/index.js';
import { ticketKeys } from '../src/ticket-keys.js';
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
        for await (const keys of node.scanIterator({ MATCH: `tf:${namespace}:*`, COUNT: 1_000 })) {
          for (const key of keys) await cluster.unlink(key);
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
      ttl: ({ namespace, ttlMs }) => {
        namespaces.add(namespace);
        return new RedisTicketStore({ client: cluster, namespace, ttlMs });
      },
    },
  });

  describe('RedisTicketStore on Redis Cluster', () => {
    it('puts both keys of every ticket in the slot the server computes', async () => {
      const node = await cluster.nodeClient(cluster.masters[0]!);
      for (const id of [...HOSTILE_TICKET_IDS, '}{', '{T-1}', 'T-1']) {
        const keys = ticketKeys('default', id);
        const slot = await node.sendCommand<number>(['CLUSTER', 'KEYSLOT', keys.document]);
        expect(await node.sendCommand<number>(['CLUSTER', 'KEYSLOT', keys.events])).toBe(slot);
        expect(clusterKeySlot(keys.document)).toBe(slot);
      }
    });
  });
} else {
  it.skip('RedisTicketStore on Redis Cluster (set TICKETFLOW_TEST_REDIS_CLUSTER_URL to run)', () => undefined);
}
