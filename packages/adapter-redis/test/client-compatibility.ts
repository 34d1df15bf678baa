// Compile-time check (run by `pnpm typecheck`): every kind of node-redis client fits RedisClientLike.
import { createClient, createClientPool, createCluster, createSentinel } from 'redis';
import type { RedisClientLike } from '../src/index.js';

export const clients: RedisClientLike[] = [
  createClient(),
  createClient({ RESP: 3 }),
  createClientPool(),
  createCluster({ rootNodes: [] }),
  createSentinel({ name: 'main', sentinelRootNodes: [] }),
];
