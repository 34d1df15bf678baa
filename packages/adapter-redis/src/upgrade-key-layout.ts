import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError, ticketIndexOf } from '@ticketflow/core/adapter';
import type { Send } from './redis-driver.js';
import { DROP_KEYS_SCRIPT, FINISH_UPGRADE_SCRIPT, LOCK_UPGRADE_SCRIPT, READ_LEGACY_TICKET_SCRIPT, UPGRADE_TICKET_SCRIPT } from './redis-scripts.js';
import type { RedisScript } from './redis-scripts.js';
import type { RedisClientLike } from './redis-ticket-store-options.js';
import { decodeKeyPart, encodeKeyPart, legacyDocumentPattern, legacyTicketIdOf, legacyTicketKeys, namespaceKeys, ticketKeys } from './ticket-keys.js';

/** The key layout this version writes (`tf:{<namespace>}:…`), recorded in the namespace's meta hash. */
export const KEY_LAYOUT = '2';

const LOCK_MS = 60_000;

interface UpgradeContext {
  send: Send;
  script: (script: RedisScript, keys: string[], argumentsOf: string[]) => Promise<unknown>;
  encodedNamespace: string;
  /** The client passed in, if any (the store's own client can scan). */
  client: RedisClientLike | undefined;
}

/**
 * Moves the tickets of key layout 1 (`tf:<namespace>:{<id>}:…`, adapter 0.1) of one
 * namespace into layout 2 and builds their index, then records layout 2. Runs once per
 * namespace, under a lock, by the first store that finds the layout unrecorded; the others
 * wait for it. Each ticket is copied only if layout 2 does not have it yet, then its old keys
 * are removed, so a crash halfway is finished by the next store. Finding layout 1 keys takes
 * a SCAN of the keyspace, once; `list` and `purge` never scan.
 */
export async function upgradeKeyLayout(context: UpgradeContext): Promise<void> {
  const scanner = await scannerOf(context);
  // A client that cannot scan cannot look for layout 1 keys: left to a store whose client can (see the README).
  if (scanner === null) return;
  const keys = namespaceKeys(context.encodedNamespace);
  const token = randomUUID();
  const deadline = Date.now() + LOCK_MS;
  for (;;) {
    const state = String(await context.script(LOCK_UPGRADE_SCRIPT, [keys.upgrading, keys.meta], [token, String(LOCK_MS), KEY_LAYOUT]));
    if (state === 'done') return;
    if (state === 'locked') break;
    if (Date.now() > deadline)
      throw new StoreError({
        kind: 'unavailable',
        adapter: 'redis',
        message: "another process has been upgrading this namespace's keys for over a minute",
        outcome: 'not_applied',
      });
    await sleep(100);
  }
  for await (const documentKey of scanner(legacyDocumentPattern(context.encodedNamespace))) {
    const encodedId = legacyTicketIdOf(context.encodedNamespace, documentKey);
    if (encodedId !== undefined) await upgradeTicket(context, encodedId);
  }
  await context.script(FINISH_UPGRADE_SCRIPT, [keys.upgrading, keys.meta], [token, KEY_LAYOUT]);
}

async function upgradeTicket(context: UpgradeContext, encodedId: string): Promise<void> {
  const legacy = legacyTicketKeys(context.encodedNamespace, encodedId);
  const stored = (await context.script(READ_LEGACY_TICKET_SCRIPT, [legacy.document, legacy.events], [])) as [string, string, string, number, string[]] | null;
  if (Array.isArray(stored)) {
    const [version, seq, document, ttl, events] = stored;
    const ticketId = decodeKeyPart(encodedId);
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(document);
    } catch {
      // a corrupt document is moved as it is; loading it reports it
    }
    const index = ticketIndexOf(parsed);
    const ticket = ticketKeys(context.encodedNamespace, ticketId);
    const { updated, status, claims, summaries, expiry } = namespaceKeys(context.encodedNamespace);
    await context.script(
      UPGRADE_TICKET_SCRIPT,
      [ticket.document, ticket.events, updated, status, claims, summaries, expiry],
      [
        String(version),
        String(seq),
        document,
        ticketId,
        index.incarnation,
        index.status,
        encodeKeyPart(index.status),
        index.updatedAt,
        index.claimExpiresAt ?? '',
        index.claimExpiresAt === null ? '' : String(Date.parse(index.claimExpiresAt)),
        String(Date.parse(index.updatedAt)),
        String(Number(ttl) > 0 ? ttl : -1),
        ...events.map(String),
      ],
    );
  }
  await context.script(DROP_KEYS_SCRIPT, [legacy.document, legacy.events], []);
}

type Scanner = (pattern: string) => AsyncGenerator<string>;

/** Scans a plain client or pool with SCAN, a cluster node by node; null when the client cannot. */
async function scannerOf(context: UpgradeContext): Promise<Scanner | null> {
  const client = context.client ?? (await context.send(async (owned) => owned));
  // A cluster client has a scan() too, but it asks one node: scan every master instead.
  if (Array.isArray(client.masters) && typeof client.nodeClient === 'function') {
    const nodes = await Promise.all(client.masters.map((master) => client.nodeClient!(master as never)));
    return (pattern) => scanWith(nodes as Required<Pick<RedisClientLike, 'scan'>>[], pattern, context.send);
  }
  if (typeof client.scan === 'function') return (pattern) => scanWith([client as Required<Pick<RedisClientLike, 'scan'>>], pattern, context.send);
  return null;
}

async function* scanWith(nodes: Required<Pick<RedisClientLike, 'scan'>>[], pattern: string, send: Send): AsyncGenerator<string> {
  for (const node of nodes) {
    let cursor = '0';
    do {
      const page = await send(() => node.scan(cursor, { MATCH: pattern, COUNT: 1_000 }));
      cursor = String(page.cursor);
      yield* page.keys.map(String);
    } while (cursor !== '0');
  }
}
