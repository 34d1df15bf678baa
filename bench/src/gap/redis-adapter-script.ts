import { ticketIndexOf } from '@ticketflow/core/adapter';
// The adapter's internals, read from its sources (not its public API): this one step of the
// Redis ladder sends exactly the adapter's commit script, to split the script's server time
// from the driver's client-side work. A change there shows up here as a type error.
import { COMMIT_SCRIPT } from '../../../packages/adapter-redis/src/redis-scripts.js';
import { encodeKeyPart, namespaceKeys, ticketKeys } from '../../../packages/adapter-redis/src/ticket-keys.js';
import type { BenchRedisClient } from '../drivers/counting-redis.js';
import { floorBytes, lostFloor, type FloorFactory } from '../floors/floor.js';

/**
 * A floor that writes through the adapter's own key layout and commit script (loaded once),
 * with the adapter's arguments, but without its driver: no timers, no phases, keys built
 * once per ticket. A load is the adapter's `HMGET` and `JSON.parse`.
 */
export async function adapterScriptFloor(client: BenchRedisClient, namespace: string): Promise<{ floor: FloorFactory; drop(): Promise<void> }> {
  await client.scriptLoad(COMMIT_SCRIPT.source);
  const encodedNamespace = encodeKeyPart(namespace);
  const index = namespaceKeys(encodedNamespace);
  const created: string[] = [];
  const floor: FloorFactory = async (ticketId, turns) => {
    const keys = ticketKeys(encodedNamespace, ticketId);
    const scriptKeys = [keys.document, keys.events, index.updated, index.status, index.claims, index.summaries, index.expiry];
    created.push(keys.document, keys.events);
    const commit = async (expected: string, ticket: unknown, events: string[], document: string) => {
      const fields = ticketIndexOf(ticket);
      const claimMs = fields.claimExpiresAt === null ? '' : String(Date.parse(fields.claimExpiresAt));
      const argumentsOf = [
        expected,
        document,
        '0',
        ticketId,
        fields.incarnation,
        fields.status,
        encodeKeyPart(fields.status),
        fields.updatedAt,
        fields.claimExpiresAt ?? '',
        claimMs,
        String(Date.parse(fields.updatedAt)),
        ...events,
      ];
      const reply = (await client.evalSha(COMMIT_SCRIPT.sha1, { keys: scriptKeys, arguments: argumentsOf })) as [number, number];
      if (reply[0] !== 1) throw lostFloor('redis (adapter script)');
      return reply[1];
    };
    const first = turns[0]![0]!;
    await commit('', first.ticket, [], floorBytes(first).document);
    return async (turn) => {
      const [version, document] = (await client.hmGet(keys.document, ['version', 'document'])) as [string, string];
      JSON.parse(document);
      let current = Number(version);
      for (const write of turns[turn % turns.length]!) {
        const bytes = floorBytes(write);
        current = await commit(String(current), write.ticket, bytes.events, bytes.document);
      }
    };
  };
  return { floor, drop: async () => void (created.length > 0 && (await client.unlink(created))) };
}
