import type { RedisClientLike } from '@ticketflow/adapter-redis';
import type { CallCounter } from '../measure/interleave.js';

/**
 * Wraps a node-redis client: each of the commands `RedisTicketStore` sends (and the
 * floor sends the same way) counts one round trip — node-redis sends one command per call,
 * no command is batched here.
 */
export function countingRedis(client: RedisClientLike, counter: CallCounter): RedisClientLike {
  return {
    evalSha(sha1, options) {
      counter.count += 1;
      return client.evalSha(sha1, options);
    },
    eval(script, options) {
      counter.count += 1;
      return client.eval(script, options);
    },
    hmGet(key, fields) {
      counter.count += 1;
      return client.hmGet(key, fields);
    },
    lRange(key, start, stop) {
      counter.count += 1;
      return client.lRange(key, start, stop);
    },
    unlink(keys) {
      counter.count += 1;
      return client.unlink(keys);
    },
  };
}
