import type { RedisClientLike } from '@ticketflow/adapter-redis';
import type { RedisFloorClient } from '../floors/redis-floor.js';
import type { CallCounter } from '../measure/interleave.js';

/** What the bench sends to Redis: the store's commands and the floor's. */
export type BenchRedisClient = RedisClientLike & RedisFloorClient;

/**
 * Wraps a node-redis client: each command the store or the floor sends counts one round
 * trip (node-redis sends one command per call; nothing is batched here). Used by the count
 * pass only, never by a timed variant.
 */
export function countingRedis(client: BenchRedisClient, counter: CallCounter): BenchRedisClient {
  const count = <T>(reply: Promise<T>) => {
    counter.count += 1;
    return reply;
  };
  return {
    evalSha: (sha1, options) => count(client.evalSha(sha1, options)),
    eval: (script, options) => count(client.eval(script, options)),
    hmGet: (key, fields) => count(client.hmGet(key, fields)),
    lRange: (key, start, stop) => count(client.lRange(key, start, stop)),
    scriptLoad: (script) => count(client.scriptLoad(script)),
    unlink: (keys) => count(client.unlink(keys)),
  };
}
