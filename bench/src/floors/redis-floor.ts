import { createHash } from 'node:crypto';
import { floorBytes, lostFloor, type FloorFactory } from './floor.js';

/** The node-redis calls a Redis floor makes (a `RedisClientType` has them). */
export interface RedisFloorClient {
  hmGet(key: string, fields: string[]): Promise<unknown>;
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  scriptLoad(script: string): Promise<string>;
  unlink(keys: string[]): Promise<number>;
}

/**
 * The floor's commit: compare-and-set on the version, write the document, append the
 * events. KEYS: the ticket's hash (fields v, d) and its event list. ARGV: expected version,
 * document, events…
 */
export const FLOOR_SCRIPT = `
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1] + 1, 'd', ARGV[2])
if #ARGV > 2 then redis.call('RPUSH', KEYS[2], unpack(ARGV, 3)) end
return 1
`;

/**
 * The same commit, with the adapter's event format: the hash also holds the last event
 * seq, and each event is stored with its seq spliced in (`{"seq":n,…}`), as the adapter
 * stores them (a step of `src/gap/`).
 */
export const FLOOR_SCRIPT_WITH_SEQ = `
local stored = redis.call('HMGET', KEYS[1], 'v', 's')
if stored[1] ~= ARGV[1] then return 0 end
local seq = tonumber(stored[2])
local batch = {}
for index = 3, #ARGV do
  seq = seq + 1
  batch[#batch + 1] = '{"seq":' .. string.format('%d', seq) .. ',' .. string.sub(ARGV[index], 2)
end
redis.call('HSET', KEYS[1], 'v', ARGV[1] + 1, 's', string.format('%d', seq), 'd', ARGV[2])
if #batch > 0 then redis.call('RPUSH', KEYS[2], unpack(batch)) end
return 1
`;

/**
 * Redis floor on the given client: a hash per ticket (`v` version, `d` document) and a list
 * of its events, under one hash tag. A load is one `HMGET` and `JSON.parse`; each write is
 * one `EVALSHA` of a four-line Lua script (compare-and-set, `HSET`, `RPUSH`).
 */
export async function openRedisFloor(
  client: RedisFloorClient,
  prefix: string,
  options: { withSeq?: boolean } = {},
): Promise<{ floor: FloorFactory; drop(): Promise<void> }> {
  const script = options.withSeq ? FLOOR_SCRIPT_WITH_SEQ : FLOOR_SCRIPT;
  const sha1 = await client.scriptLoad(script);
  if (sha1 !== createHash('sha1').update(script).digest('hex')) throw new Error('[bench] unexpected SCRIPT LOAD reply');
  const created: string[] = [];
  const floor: FloorFactory = async (ticketId, turns) => {
    const keys = [`${prefix}{${ticketId}}`, `${prefix}{${ticketId}}:events`];
    created.push(...keys);
    await client.unlink(keys);
    await seedHash(client, keys[0]!, floorBytes(turns[0]![0]!).document);
    return async (index) => {
      const [version, document] = (await client.hmGet(keys[0]!, ['v', 'd'])) as [string, string];
      JSON.parse(document);
      let current = Number(version);
      for (const commit of turns[index % turns.length]!) {
        const bytes = floorBytes(commit);
        const applied = await client.evalSha(sha1, { keys, arguments: [String(current), bytes.document, ...bytes.events] });
        if (applied !== 1) throw lostFloor('redis');
        current += 1;
      }
    };
  };
  return { floor, drop: async () => void (created.length > 0 && (await client.unlink(created))) };
}

async function seedHash(client: RedisFloorClient, key: string, document: string): Promise<void> {
  // Set-up, not measured: HSET through a one-off script keeps the floor's client interface small.
  const sha1 = await client.scriptLoad("redis.call('HSET', KEYS[1], 'v', '1', 's', '0', 'd', ARGV[1]) return 1");
  await client.evalSha(sha1, { keys: [key], arguments: [document] });
}
