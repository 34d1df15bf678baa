import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decisionSchema } from './decision.js';
import { parseDecision } from './parse-decision.js';

describe('parseDecision', () => {
  it('reads plain JSON', () => {
    expect(parseDecision('{"intent":"no_internet","confidence":0.8,"entities":{"region":"Berlin"}}')).toEqual({
      ok: true,
      decision: { intent: 'no_internet', confidence: 0.8, entities: { region: 'Berlin' } },
      ignoredKeys: [],
    });
  });

  it('tolerates code fences and surrounding prose', () => {
    const text = 'Sure! Here is the decision:\n```json\n{"intent": "slow_internet", "confidence": 0.75, "entities": {}}\n```\nLet me know.';
    expect(parseDecision(text)).toMatchObject({ ok: true, decision: { intent: 'slow_internet', confidence: 0.75 } });
    expect(parseDecision('The answer is {"intent":null,"confidence":0.1,"entities":{"note":"a } brace"}} ok')).toMatchObject({
      ok: true,
      decision: { entities: { note: 'a } brace' } },
    });
  });

  it('normalises what models commonly slip on', () => {
    expect(parseDecision('{"intent":"","confidence":"0.4"}')).toMatchObject({ ok: true, decision: { intent: null, confidence: 0.4, entities: {} } });
    expect(parseDecision('{"confidence":1,"entities":null}')).toMatchObject({ ok: true, decision: { intent: null, entities: {} } });
  });

  it('refuses what does not match the schema, with a reason fit for a re-ask', () => {
    for (const text of [
      '',
      'no json here',
      '[1,2]',
      '{"intent":"x","confidence":1.5,"entities":{}}',
      '{"intent":"x","confidence":"high"}',
      '{"intent":3,"confidence":0.5}',
      '{"confidence":0.5,"entities":[1]}',
      '{"confidence":1e400}',
    ]) {
      const parsed = parseDecision(text);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.error.length).toBeGreaterThan(5);
    }
  });

  it('drops prototype-polluting keys and never pollutes Object.prototype', () => {
    const parsed = parseDecision(
      '{"intent":null,"confidence":0.5,"entities":{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"region":"Rome"},"__proto__":{"admin":true}}',
    );
    expect(parsed).toMatchObject({ ok: true, decision: { entities: { region: 'Rome' } } });
    if (parsed.ok) expect(Object.keys(parsed.decision.entities)).toEqual(['region']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('refuses deep nesting', () => {
    const deep = `{"intent":null,"confidence":0.5,"entities":{"a":${'['.repeat(50)}${']'.repeat(50)}}}`;
    expect(parseDecision(deep)).toMatchObject({ ok: false, error: expect.stringContaining('nested deeper') });
  });

  it('strips NUL characters and replaces lone surrogates, which stores cannot keep', () => {
    expect(parseDecision('{"intent":null,"confidence":0.5,"entities":{"name":"a\\u0000b"}}')).toMatchObject({
      ok: true,
      decision: { entities: { name: 'ab' } },
    });
    expect(parseDecision('{"intent":null,"confidence":0.5,"entities":{"name":"x\\ud800y","\\udc00":"z"}}')).toMatchObject({
      ok: true,
      decision: { entities: { name: 'x\uFFFDy', '\uFFFD': 'z' } },
    });
  });

  it('L3 drops any field that names a tool or an action and reports it', () => {
    expect(parseDecision('{"intent":"x","confidence":0.9,"entities":{},"tool":"issue_credit","arguments":{"amount":1000}}')).toMatchObject({
      ok: true,
      decision: { intent: 'x', confidence: 0.9, entities: {} },
      ignoredKeys: ['tool', 'arguments'],
    });
  });

  it('never throws on arbitrary text or JSON (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((value) => JSON.stringify(value)),
        ),
        (text) => {
          const parsed = parseDecision(text);
          if (parsed.ok) {
            expect(parsed.decision.confidence).toBeGreaterThanOrEqual(0);
            expect(parsed.decision.confidence).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('accepts every valid decision, wrapped in any prose (property)', () => {
    const decision = fc.record({
      intent: fc.option(fc.stringMatching(/^[a-z_]{1,20}$/), { nil: null }),
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
      entities: fc.dictionary(fc.stringMatching(/^[a-z_]{1,12}$/), fc.jsonValue({ maxDepth: 3 })),
    });
    fc.assert(
      fc.property(decision, fc.constantFrom('', 'Here you go: ', '```json\n'), fc.constantFrom('', ' Thanks.', '\n```'), (value, before, after) => {
        const parsed = parseDecision(`${before}${JSON.stringify(value)}${after}`);
        expect(parsed.ok).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('the fast path agrees with the zod schema on every answer (property)', () => {
    const answer = fc.record(
      {
        intent: fc.oneof(fc.constant(null), fc.string({ maxLength: 210 }), fc.integer(), fc.constant('  spaced  ')),
        confidence: fc.oneof(fc.double({ noNaN: true }), fc.constant('0.5'), fc.constant(1), fc.constant(-0)),
        entities: fc.oneof(fc.constant(null), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })), fc.array(fc.integer())),
      },
      { requiredKeys: [] },
    );
    // Values the sanitizer rewrites (prototype-polluting keys, NUL, lone surrogates) are
    // covered by their own tests above; here both paths must read the same JSON.
    const plain = answer.filter((value) => !/"(__proto__|constructor|prototype)"|\\u0000|\\u[dD][89a-fA-F]/.test(JSON.stringify(value)));
    fc.assert(
      fc.property(plain, (value) => {
        const viaZod = decisionSchema.safeParse(JSON.parse(JSON.stringify(value)));
        const parsed = parseDecision(JSON.stringify(value));
        expect(parsed.ok).toBe(viaZod.success);
        if (parsed.ok && viaZod.success) expect(parsed.decision).toEqual(viaZod.data);
      }),
      { numRuns: 5_000 },
    );
  });
});
