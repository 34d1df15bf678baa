import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addSeen, mayHaveSeen, textHash } from './seen-messages.js';

/** An id's bits in the first layer as specified: SHA-256 → 7 positions by double hashing over 2,048 × 8 bits. */
function specifiedPositions(id: string): number[] {
  const digest = createHash('sha256').update(id, 'utf8').digest();
  const first = digest.readUInt32BE(0);
  const second = (digest.readUInt32BE(4) | 1) >>> 0;
  return Array.from({ length: 7 }, (_, index) => (first + index * second) % (2_048 * 8));
}

describe('the Bloom filter of messageIds past the window (T7)', () => {
  it('T7 never misses an id that was added, whatever else was added', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 60 }), (ids) => {
        let filter = '';
        for (const id of ids) filter = addSeen(filter, id);
        for (const id of ids) expect(mayHaveSeen(filter, id), id).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('T7 reads the same bits from the base64 text as from the decoded bytes, on any filter content', () => {
    /** The reading as specified, the straightforward way: SHA-256 → 7 positions (double hashing) → bits of the decoded bytes. */
    const decodedHas = (filter: string, id: string) => {
      const bits = Buffer.from(filter, 'base64');
      return specifiedPositions(id).every((bit) => (bits[bit >> 3]! & (1 << (bit & 7))) !== 0);
    };
    // Mostly-set bytes (one bit clear at most), so that about a third of the probes are hits.
    const byte = fc.constantFrom(0xff, 0xfe, 0xfd, 0xfb, 0xf7, 0xef, 0xdf, 0xbf, 0x7f);
    fc.assert(
      fc.property(fc.array(byte, { minLength: 2_048, maxLength: 2_048 }), fc.string({ minLength: 1, maxLength: 30 }), (bytes, id) => {
        const filter = Buffer.from(bytes).toString('base64');
        expect(mayHaveSeen(filter, id)).toBe(decodedHas(filter, id));
      }),
      { numRuns: 300 },
    );
    expect(mayHaveSeen(Buffer.alloc(2_048, 0xff).toString('base64'), 'any id')).toBe(true);
    expect(mayHaveSeen('', 'any id')).toBe(false);
  });

  it('T7 sets the same bits in the base64 text as in the decoded bytes, on any filter content', () => {
    /** The filter as specified, written the straightforward way: SHA-256 → 7 positions (double hashing) → bits of the decoded bytes. */
    const decodedAdd = (filter: string, id: string) => {
      const bits = Buffer.from(filter, 'base64');
      for (const bit of specifiedPositions(id)) bits[bit >> 3]! |= 1 << (bit & 7);
      return bits.toString('base64');
    };
    fc.assert(
      // Bytes with at most two bits set: a first layer well under half full, so no layer is added.
      fc.property(
        fc.array(fc.constantFrom(0, 1, 2, 4, 8, 16, 32, 64, 128, 3, 5, 9, 17, 33, 65, 129, 6, 10, 160), { minLength: 2_048, maxLength: 2_048 }),
        fc.string({ minLength: 1, maxLength: 30 }),
        (bytes, id) => {
          const filter = Buffer.from(bytes).toString('base64');
          expect(addSeen(filter, id)).toBe(decodedAdd(filter, id));
        },
      ),
      { numRuns: 300 },
    );
    const empty = addSeen('', 'first');
    expect(Buffer.from(empty, 'base64')).toHaveLength(2_048);
    expect(empty).toBe(Buffer.from(empty, 'base64').toString('base64'));
    expect(mayHaveSeen(addSeen('AAAA', 'short filter'), 'short filter')).toBe(true);
  });

  it('T7 keeps false positives near 1 % with 1,700 ids remembered', () => {
    let filter = '';
    for (let index = 0; index < 1_700; index += 1) filter = addSeen(filter, `seen-${index}`);
    let hits = 0;
    for (let index = 0; index < 5_000; index += 1) if (mayHaveSeen(filter, `never-${index}`)) hits += 1;
    expect(hits / 5_000).toBeLessThan(0.03);
  });

  it('T7 grows by layers twice the size once a layer is half full: 20,000 ids, never a miss, false positives still near 1 %', () => {
    let filter = '';
    for (let index = 0; index < 20_000; index += 1) filter = addSeen(filter, `id-${index}`);
    const layers = filter.split('.');
    expect(layers.map((layer) => Buffer.from(layer, 'base64').length)).toEqual([2_048, 4_096, 8_192, 16_384].slice(0, layers.length));
    expect(layers.length).toBeGreaterThanOrEqual(3);
    for (let index = 0; index < 20_000; index += 97) expect(mayHaveSeen(filter, `id-${index}`)).toBe(true);
    let hits = 0;
    for (let index = 0; index < 5_000; index += 1) if (mayHaveSeen(filter, `never-${index}`)) hits += 1;
    expect(hits / 5_000).toBeLessThan(0.05);
    // A single full layer (the old fixed filter) would have answered "maybe" to most of them.
    let single = '';
    for (let index = 0; index < 20_000; index += 1) single = addSeen(single.split('.')[0]!, `id-${index}`).split('.')[0]!;
    let singleHits = 0;
    for (let index = 0; index < 1_000; index += 1) if (mayHaveSeen(single, `never-${index}`)) singleHits += 1;
    expect(singleHits / 1_000).toBeGreaterThan(0.5);
  });

  it('T7 fingerprints a message by its stored text and 16 bits of its raw text', () => {
    expect(textHash('my card is [card]', 'my card is 4111')).toMatch(/^[A-Za-z0-9_-]{12}\.[0-9a-f]{4}$/);
    expect(textHash('same')).toBe(textHash('same', 'same'));
    expect(textHash('x', 'a')).not.toBe(textHash('x', 'b'));
  });
});

describe('textHash keeps its stored format', () => {
  it('T7 is the first 12 base64url characters of SHA-256 of the stored text, a dot, and 4 hex digits of SHA-256 of the raw text', () => {
    const sha = (text: string, encoding: 'base64url' | 'hex') => createHash('sha256').update(text, 'utf8').digest(encoding);
    for (const [stored, raw] of [
      ['my card is [card]', 'my card is 4111 1111 1111 1111'],
      ['no redaction', 'no redaction'],
      ['ünïcödé 🎫', 'ünïcödé 🎫'],
    ] as const) {
      expect(textHash(stored, raw)).toBe(`${sha(stored, 'base64url').slice(0, 12)}.${sha(raw, 'hex').slice(0, 4)}`);
    }
  });
});
