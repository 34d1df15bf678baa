import { HOSTILE_TICKET_IDS } from '@ticketflow/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterKeySlot, hashedPart } from '../test/cluster-key-slot.js';
import { decodeKeyPart, encodeKeyPart, legacyTicketIdOf, legacyTicketKeys, namespaceKeys, ticketKeys } from './ticket-keys.js';

const NASTY_IDS = [
  ...HOSTILE_TICKET_IDS,
  '}{',
  'a}{b',
  '{T-1}',
  'T-1}:doc',
  'tf:default:{T-1}:doc',
  '%7B',
  '\uD800',
  '\uFFFD',
  '\uDC00\uD800',
  ''.padEnd(3, '🎫'),
];

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

  it('§5 puts every key of a namespace — tickets, events, index — in one hash tag, and so in one cluster slot', () => {
    const check = (namespace: string, id: string) => {
      const encoded = encodeKeyPart(namespace);
      const keys = ticketKeys(encoded, id);
      const index = namespaceKeys(encoded);
      expect(keys.document).toBe(`tf:{${encoded}}:t:${encodeKeyPart(id)}`);
      expect(keys.events).toBe(`tf:{${encoded}}:e:${encodeKeyPart(id)}`);
      for (const key of [keys.document, keys.events, ...Object.values(index)]) {
        expect(hashedPart(key)).toBe(encoded);
        expect(clusterKeySlot(key)).toBe(clusterKeySlot(keys.document));
      }
    };
    for (const id of NASTY_IDS) check('default', id);
    fc.assert(fc.property(fc.string({ unit: 'binary', minLength: 1 }), fc.string({ unit: 'binary', minLength: 1 }), check));
  });

  it('never gives two (namespace, id) pairs the same key', () => {
    const pairs: [string, string][] = [
      ['a:b', 'c'],
      ['a', 'b:c'],
      ['a', '}:doc'],
      ['a}', ':doc'],
      ['{a', 'b'],
      ['a', '{a}'],
    ];
    for (const id of NASTY_IDS) pairs.push(['default', id], ['x', id]);
    const seen = new Map<string, string>();
    for (const [namespace, id] of pairs) {
      const keys = ticketKeys(encodeKeyPart(namespace), id);
      for (const key of [keys.document, keys.events, ...Object.values(namespaceKeys(encodeKeyPart(namespace)))]) {
        const owner = key.includes(':ix:') || key.endsWith(':meta') || key.endsWith(':upgrading') ? namespace : `${namespace}\u0000${id}`;
        expect(seen.get(key) ?? owner).toBe(owner);
        seen.set(key, owner);
      }
    }
  });

  it('§5 reads the ticket id back from a key of layout 1 (adapter 0.1), for the upgrade', () => {
    for (const id of NASTY_IDS) {
      const legacy = legacyTicketKeys('default', encodeKeyPart(id));
      expect(legacy.document).toBe(`tf:default:{${encodeKeyPart(id)}}:doc`);
      expect(decodeKeyPart(legacyTicketIdOf('default', legacy.document)!)).toBe(id);
    }
    expect(legacyTicketIdOf('default', 'tf:default:{x}:events')).toBeUndefined();
    expect(legacyTicketIdOf('default', 'tf:other:{x}:doc')).toBeUndefined();
  });
});
