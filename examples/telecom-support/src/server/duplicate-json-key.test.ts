import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { duplicateJsonKey } from './duplicate-json-key.js';

describe('duplicateJsonKey', () => {
  it('finds a key repeated in one object, at any depth, also when one spelling is escaped', () => {
    expect(duplicateJsonKey('{"message":"a","message":"b"}')).toBe('message');
    expect(duplicateJsonKey('{"a":{"x":1,"y":[{"k":1,"k":2}]}}')).toBe('k');
    expect(duplicateJsonKey('{"by":"x","\\u0062y":"y"}')).toBe('by');
    expect(duplicateJsonKey('[{"a":1},{"b":2,"b":3}]')).toBe('b');
  });

  it('allows the same key in different objects, keys that look alike inside strings, and escaped quotes', () => {
    expect(duplicateJsonKey('{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}')).toBeNull();
    expect(duplicateJsonKey('{"text":"\\"text\\":1, \\"text\\":2","note":"{\\"n\\":1,\\"n\\":2}"}')).toBeNull();
    expect(duplicateJsonKey('{"a\\\\":1,"a":2}')).toBeNull();
    expect(duplicateJsonKey('"just a string"')).toBeNull();
    expect(duplicateJsonKey('[1,2,{"x":[],"y":{}}]')).toBeNull();
  });

  it('agrees with JSON.stringify: any object it wrote has no duplicate; a repeated key is always found (fast-check)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(duplicateJsonKey(JSON.stringify(value))).toBeNull();
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }), fc.string(), (object, extra) => {
        const text = JSON.stringify(object);
        const key = Object.keys(object)[0]!;
        const repeated = `${text.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(extra)}}`;
        expect(duplicateJsonKey(repeated)).toBe(key);
      }),
      { numRuns: 300 },
    );
  });
});
