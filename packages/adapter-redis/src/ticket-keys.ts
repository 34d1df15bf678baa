/** The two Redis keys that hold one ticket. */
export interface TicketKeys {
  /** Hash with the fields `version`, `seq` (last event seq) and `document` (JSON). */
  document: string;
  /** List of the ticket's events as JSON; the event with seq n is at index n - 1. */
  events: string;
}

const KEY_PREFIX = 'tf';
const SAFE_CHARACTER = /^[A-Za-z0-9._-]$/;

/**
 * `tf:<namespace>:{<ticket id>}:doc` and `…:events`, both parts percent-encoded.
 *
 * The encoded parts never contain `{`, `}`, `:`, `*`, `?` or `[`, so the braces delimit the
 * Redis Cluster hash tag (both keys of a ticket share a slot), the separators cannot be
 * forged by an id, and the mapping from (namespace, id) to keys is injective.
 */
export function ticketKeys(encodedNamespace: string, ticketId: string): TicketKeys {
  const base = `${KEY_PREFIX}:${encodedNamespace}:{${encodeKeyPart(ticketId)}}`;
  return { document: `${base}:doc`, events: `${base}:events` };
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

function utf8Bytes(codePoint: number): number[] {
  if (codePoint < 0x80) return [codePoint];
  if (codePoint < 0x800) return [0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f)];
  if (codePoint < 0x10000) {
    return [0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
  }
  return [0xf0 | (codePoint >> 18), 0x80 | ((codePoint >> 12) & 0x3f), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
}
