/** The two Redis keys that hold one ticket. */
export interface TicketKeys {
  /** Hash with the fields `version`, `seq` (last event seq), `document` (JSON) and `inc` (incarnation). */
  document: string;
  /** List of the ticket's events as JSON; the event with seq n is at index n - 1. */
  events: string;
}

/** The keys of one namespace that are not a ticket's: the index and the schema marker. */
export interface NamespaceKeys {
  /** Hash: `schema` → the key layout version (`2`). */
  meta: string;
  /** Short-lived lock while one process upgrades the namespace from an older layout. */
  upgrading: string;
  /** Sorted set (score 0, by member): `<updatedAt> <ticket id>`, the list order. */
  updated: string;
  /** Sorted set (score 0): `<status, percent-encoded> <updatedAt> <ticket id>`. */
  status: string;
  /** Sorted set, score = claim expiry (epoch ms): `<updatedAt> <ticket id>` of tickets holding a claim. */
  claims: string;
  /** Hash: ticket id → JSON summary `[version, status, encoded status, updatedAt, claim ISO or '', updatedAt ms]`. */
  summaries: string;
  /** Sorted set, score = server time (ms) when the keys expire (`ttlMs` only): ticket id. */
  expiry: string;
}

const KEY_PREFIX = 'tf';
const SAFE_CHARACTER = /^[A-Za-z0-9._-]$/;

/**
 * Key layout 2: `tf:{<namespace>}:…`, the namespace percent-encoded. The braces are the Redis
 * Cluster hash tag, so every key of a namespace — tickets, events and the index — lives in
 * one slot, which is what lets one Lua script update a ticket and the namespace's index
 * atomically on a cluster. (The trade-off: one namespace is served by one shard; spread a
 * large fleet over several namespaces, e.g. one per tenant.)
 *
 * Encoded parts never contain `{`, `}`, `:`, `*`, `?` or `[`, so the separators cannot be
 * forged by an id and the mapping from (namespace, id) to keys is injective.
 */
export function namespaceKeys(encodedNamespace: string): NamespaceKeys {
  const base = `${KEY_PREFIX}:{${encodedNamespace}}`;
  return {
    meta: `${base}:meta`,
    upgrading: `${base}:upgrading`,
    updated: `${base}:ix:updated`,
    status: `${base}:ix:status`,
    claims: `${base}:ix:claims`,
    summaries: `${base}:ix:tickets`,
    expiry: `${base}:ix:expiry`,
  };
}

/** `tf:{<namespace>}:t:<ticket id>` (the hash) and `tf:{<namespace>}:e:<ticket id>` (the events). */
export function ticketKeys(encodedNamespace: string, ticketId: string): TicketKeys {
  const base = `${KEY_PREFIX}:{${encodedNamespace}}`;
  const id = encodeKeyPart(ticketId);
  return { document: `${documentKeyPrefix(encodedNamespace)}${id}`, events: `${base}:e:${id}` };
}

/** `tf:{<namespace>}:t:`: a ticket's document key is this and its encoded id (the list script builds it). */
export function documentKeyPrefix(encodedNamespace: string): string {
  return `${KEY_PREFIX}:{${encodedNamespace}}:t:`;
}

/**
 * Key layout 1 (adapter 0.1): `tf:<namespace>:{<ticket id>}:doc` and `…:events`, one hash tag
 * per ticket. Read only to upgrade a namespace.
 */
export function legacyTicketKeys(encodedNamespace: string, encodedTicketId: string): TicketKeys {
  const base = `${KEY_PREFIX}:${encodedNamespace}:{${encodedTicketId}}`;
  return { document: `${base}:doc`, events: `${base}:events` };
}

/** The SCAN pattern matching the document keys of layout 1 in a namespace. */
export function legacyDocumentPattern(encodedNamespace: string): string {
  return `${KEY_PREFIX}:${encodedNamespace}:{*}:doc`;
}

/** The encoded ticket id of a layout 1 document key, or undefined for another key. */
export function legacyTicketIdOf(encodedNamespace: string, key: string): string | undefined {
  const prefix = `${KEY_PREFIX}:${encodedNamespace}:{`;
  if (!key.startsWith(prefix) || !key.endsWith('}:doc')) return undefined;
  const id = key.slice(prefix.length, -'}:doc'.length);
  return /^(?:[A-Za-z0-9._-]|%[0-9A-F]{2})*$/.test(id) ? id : undefined;
}

/**
 * Percent-encodes every UTF-8 byte of `text` outside `[A-Za-z0-9._-]`. Lone surrogates are
 * encoded as their WTF-8 bytes rather than U+FFFD, so two distinct JavaScript strings never
 * share a key.
 */
export function encodeKeyPart(text: string): string {
  let encoded = '';
  for (const character of text) {
    if (SAFE_CHARACTER.test(character)) {
      encoded += character;
      continue;
    }
    for (const byte of utf8Bytes(character.codePointAt(0)!)) {
      encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return encoded;
}

/** The inverse of {@link encodeKeyPart} (WTF-8, so lone surrogates come back too). */
export function decodeKeyPart(encoded: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < encoded.length; index += 1) {
    if (encoded[index] === '%') {
      bytes.push(Number.parseInt(encoded.slice(index + 1, index + 3), 16));
      index += 2;
    } else bytes.push(encoded.charCodeAt(index));
  }
  let text = '';
  for (let index = 0; index < bytes.length;) {
    const byte = bytes[index]!;
    const length = byte < 0x80 ? 1 : byte < 0xe0 ? 2 : byte < 0xf0 ? 3 : 4;
    let codePoint = length === 1 ? byte : byte & (0xff >> (length + 1));
    for (let next = 1; next < length; next += 1) codePoint = (codePoint << 6) | (bytes[index + next]! & 0x3f);
    text += String.fromCodePoint(codePoint);
    index += length;
  }
  return text;
}

function utf8Bytes(codePoint: number): number[] {
  if (codePoint < 0x80) return [codePoint];
  if (codePoint < 0x800) return [0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f)];
  if (codePoint < 0x10000) {
    return [0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
  }
  return [0xf0 | (codePoint >> 18), 0x80 | ((codePoint >> 12) & 0x3f), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
}
