import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StoreError } from './store-error.js';
import { encodeStoredJson } from './stored-json.js';
import { findUnstorableValue } from './unstorable-value.js';

describe('the storage rule for hostile values (encodeStoredJson)', () => {
  it('T4 names the JSON path and the reason of the first unstorable value', () => {
    const cycle: Record<string, unknown> = {};
    cycle.again = { cycle };
    const cases: [unknown, string, RegExp][] = [
      [{ a: { b: ['x', 'y\u0000'] } }, '$.a.b[1]', /NUL/],
      [{ 'odd key': 'lone \uDBFF' }, '$["odd key"]', /lone UTF-16 surrogate/],
      [{ ok: 1, ['k\uDC00']: 1 }, '$["k\\udc00"]', /key with a lone/],
      [{ n: 1n }, '$.n', /BigInt/],
      [{ n: -Infinity }, '$.n', /-Infinity/],
      [cycle, '$.again.cycle', /cycle/],
      [{ s: new Set([1]) }, '$.s', /type Set/],
      [{ e: new Error('boom') }, '$.e', /type Error/],
      [[1, undefined], '$[1]', /undefined/],
      [{ f: Symbol('x') }, '$.f', /symbol/],
    ];
    for (const [value, path, reason] of cases) {
      const problem = findUnstorableValue(value);
      expect(problem?.path, JSON.stringify(path)).toBe(path);
      expect(problem?.reason).toMatch(reason);
    }
  });

  it('T4 accepts plain JSON, undefined properties, toJSON, paired surrogates and escapes written as text', () => {
    for (const value of [
      { a: undefined, d: new Date(0), emoji: '🎫', text: '\\u0000 and \\ud800', nested: [null, true, 0.5, { '': '' }] },
      Object.create(null) as object,
      [],
      'plain',
      0,
    ]) {
      expect(findUnstorableValue(value)).toBeUndefined();
    }
  });

  it('T4 agrees with JSON.stringify on every well-formed JSON value, and encodes it byte for byte the same', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        const problem = findUnstorableValue(value);
        if (/\\u0000/.test(text.replace(/\\\\/g, ''))) expect(problem?.reason).toMatch(/NUL/);
        else {
          expect(problem).toBeUndefined();
          expect(encodeStoredJson('memory', value, 'the value')).toBe(text);
        }
      }),
    );
  });

  it('T4 refuses with a StoreError of kind invalid whose message names where, never the value', () => {
    let caught: unknown;
    try {
      encodeStoredJson('sqlite', { card: '4111 1111 1111 1111\u0000' }, 'the ticket');
    } catch (error) {
      caught = error;
    }
    expect(StoreError.isInstance(caught) && caught.kind).toBe('invalid');
    expect((caught as StoreError).outcome).toBe('not_applied');
    expect((caught as StoreError).message).toMatch(/^\[sqlite\] the ticket cannot be stored: \$\.card holds a NUL character/);
    expect((caught as StoreError).message).not.toContain('4111');
  });

  it('T4 the fast path (stringify, scan of the escapes, type walk) refuses exactly what the full walk refuses', () => {
    const codeUnit = fc.oneof(
      fc.constantFrom('\u0000', '\uD800', '\uDFFF', '\\', 'u'),
      fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
    );
    const hostileLeaf = fc.oneof(
      fc.string({ unit: codeUnit }),
      fc.constantFrom<unknown>(
        NaN,
        Infinity,
        -Infinity,
        1n,
        undefined,
        Symbol('s'),
        () => 1,
        new Date(0),
        new Set([1]),
        new Error('e'),
        { toJSON: () => 'x' },
        '\u0000',
        '\\ud800',
      ),
      fc.double(),
    );
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, hostileLeaf, fc.array(tie('value')), fc.dictionary(fc.string({ unit: codeUnit }), tie('value'))),
    }));
    fc.assert(
      fc.property(value, (candidate) => {
        const problem = findUnstorableValue(candidate);
        let refused: unknown;
        let text: string | undefined;
        try {
          text = encodeStoredJson('memory', candidate, 'the value');
        } catch (error) {
          refused = error;
        }
        if (problem) expect((refused as StoreError).message).toContain(`${problem.path} holds ${problem.reason}`);
        else if (candidate === undefined || typeof candidate === 'function' || typeof candidate === 'symbol') expect(StoreError.isInstance(refused)).toBe(true);
        else expect(text).toBe(JSON.stringify(candidate));
      }),
      { numRuns: 500 },
    );
  });

  it('T4 a key whose value is undefined is left out like JSON leaves it out, whatever the key holds (found by the fast-path property)', () => {
    expect(findUnstorableValue({ '\u0000': undefined })).toBeUndefined();
    expect(encodeStoredJson('memory', { '\u0000': undefined, ok: 1 }, 'the value')).toBe('{"ok":1}');
    expect(findUnstorableValue({ '\u0000': 1 })?.reason).toMatch(/a key with a NUL/);
  });

  it('T4 refuses nesting deeper than 512 levels instead of overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 600; level += 1) deep = [deep];
    expect(findUnstorableValue(deep)?.reason).toMatch(/levels of nesting/);
  });

  it('T4 nesting so deep that JSON.stringify overflows (10,000 levels) is a StoreError invalid with a short message, never a RangeError', () => {
    let deep: unknown = { leaf: true };
    for (let level = 0; level < 10_000; level += 1) deep = { d: deep };
    let thrown: unknown;
    try {
      encodeStoredJson('memory', { data: deep }, 'event 0');
    } catch (error) {
      thrown = error;
    }
    expect(StoreError.isInstance(thrown) && thrown.kind).toBe('invalid');
    expect((thrown as Error).message).toMatch(/\$\.data\.d\.d.*… \(512 levels\) holds more than 512 levels of nesting/);
    expect((thrown as Error).message.length).toBeLessThan(400);
  });
});
