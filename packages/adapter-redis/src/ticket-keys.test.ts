import { HOSTILE_TICKET_IDS } from '@ticketflow/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterKeySlot, hashedPart } from '../test/cluster-key-slot.js';
import { encodeKeyPart, ticketKeys } from './ticket-keys.js';

/** Inverse of encodeKeyPart, decoding WTF-8 so that lone surrogates come back too. */
function decodeKeyPart(encoded: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < encoded.length; index += 1) {
    if (encoded[index] === '%') {
      bytes.push(Number.parseInt(encoded.slice(index + 1, index + 3), 16));
      index += 2;
    } else bytes.push(encoded.charCodeAt(index));
  }
  let text = '';
  for (let index = 0; index < bytes.length; ) {
    const byte = bytes[index]!;
    const length = byte < 0x80 ? 1 : byte < 0xe0 ? 2 : byte < 0xf0 ? 3 : 4;
    let codePoint = length === 1 ? byte : byte & (0xff >> (length + 1));
    for (let next = 1; next < length; next += 1) codePoint = (codePoint << 6) | (bytes[index + next]! & 0x3f);
    text += String.fromCodePoint(codePoint);
    index += length;
  }
  return text;
}

const NASTY_IDS = [...HOSTILE_TICKET_IDS, '}{', 'a}{b', '{T-1}', 'T-1}:doc', 'tf:default:{T-1}:doc', '%7B', '\uD800', '\uFFFD', '\uDC00\uD800', ''.padEnd(3, '🎫')];

describe('ticket keys', () => {
  it('computes cluster slots like Redis', () => {
    expect(clusterKeySlot('123456789')).toBe(12_739);
    expect(clusterKeySlot('foo')).toBe(12_182);
    expect(clusterKeySlot('{user1000}.following')).toBe(clusterKeySlot('{user1000}.followers'));
  });

  it('encodes ids to letters, digits, . _ - and %XX only', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (id) => {
        expect(encodeKeyPart(id)).toMatch(/^(?:[A-Za-z0-9._-]|%[0-9A-F]{2})*$/);
      }),
    );
    expect(encodeKeyPart('T-1_a.b')).toBe('T-1_a.b');
    expect(encodeKeyPart('{a}:*?[')).toBe('%7Ba%7D%3A%2A%3F%5B');
  });

  it('is reversible, hence injective, for every string including lone surrogates', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (id) => {
        expect(decodeKeyPart(encodeKeyPart(id))).toBe(id);
      }),
    );
    for (const id of NASTY_IDS) expect(decodeKeyPart(encodeKeyPart(id))).toBe(id);
    expect(encodeKeyPart('\uD800')).not.toBe(encodeKeyPart('\uFFFD'));
    expect(encodeKeyPart('%')).not.toBe(encodeKeyPart('%25'));
  });

  it('puts both keys of a ticket in one hash tag, and so in one cluster slot', () => {
    const check = (namespace: string, id: string) => {
      const keys = ticketKeys(encodeKeyPart(namespace), id);
      expect(hashedPart(keys.document)).toBe(encodeKeyPart(id));
      expect(hashedPart(keys.events)).toBe(hashedPart(keys.document));
      expect(clusterKeySlot(keys.events)).toBe(clusterKeySlot(keys.document));
      expect(keys.document).toBe(`tf:${encodeKeyPart(namespace)}:{${encodeKeyPart(id)}}:doc`);
    };
    for (const id of NASTY_IDS) check('default', id);
    fc.assert(fc.property(fc.string({ unit: 'binary', minLength: 1 }), fc.string({ unit: 'binary', minLength: 1 }), check));
  });

  it('never gives two (namespace, id) pairs the same key', () => {
    const pairs: [string, string][] = [['a:b', 'c'], ['a', 'b:c'], ['a', '}:doc'], ['a}', ':doc'], ['{a', 'b'], ['a', '{a}']];
    for (const id of NASTY_IDS) pairs.push(['default', id], ['x', id]);
    const seen = new Map<string, string>();
    for (const [namespace, id] of pairs) {
      const keys = ticketKeys(encodeKeyPart(namespace), id);
      for (const key of [keys.document, keys.events]) {
        const owner = `${namespace}\u0000${id}`;
        expect(seen.get(key) ?? owner).toBe(owner);
        seen.set(key, owner);
      }
    }
  });
});
