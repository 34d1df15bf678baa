import type { RedisClientLike } from '@ticketflow/adapter-redis';
import type { CommitRequest } from '@ticketflow/core';
import { COMMIT_SCRIPT_SHA1, encodeKeyPart, ticketKeys } from './adapter-statements.js';
import { lostFloor, type FloorFactory } from './floor.js';

/**
 * Redis floor: the adapter's keys and commit script on the same client. A load is one
 * `HMGET` and `JSON.parse`; each write is one `EVALSHA` of the script (compare-and-set,
 * document write, event append). The script is loaded once beforehand.
 */
export function redisFloor(client: RedisClientLike, namespace: string): FloorFactory {
  return async (ticketId: string, turns: readonly (readonly CommitRequest[])[]) => {
    const keys = ticketKeys(encodeKeyPart(namespace), ticketId);
    const keyList = [keys.document, keys.events];
    const commit = (expected: string, write: CommitRequest) =>
      client.evalSha(COMMIT_SCRIPT_SHA1, { keys: keyList, arguments: [expected, JSON.stringify(write.ticket), '0', ...write.events.map((event) => JSON.stringify(event))] });
    await commit('', { ...turns[0]![0]!, events: [] });
    return async (index) => {
      const writes = turns[index % turns.length]!;
      const [version, document] = (await client.hmGet(keys.document, ['version', 'document'])) as [string, string];
      JSON.parse(document);
      let current = Number(version);
      for (const write of writes) {
        const reply = (await commit(String(current), write)) as [number, number];
        if (reply[0] !== 1) throw lostFloor('redis');
        current = reply[1];
      }
    };
  };
}
