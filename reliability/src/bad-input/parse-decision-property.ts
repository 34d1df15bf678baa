import { parseDecision } from '@ticketflow/core';
import fc from 'fast-check';

const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype'];
const hugeNumbers = fc.constantFrom(
  '1e400',
  '-1e400',
  '1e-400',
  '123456789012345678901234567890',
  '-0',
  '0.99999999999999999999',
  '9007199254740993',
  '1E+308',
  '4.9e-324',
);

/** A JSON text whose keys may be `__proto__`, `constructor` or `prototype` (written as text: object literals would drop them). */
function objectText(entries: [string, string][]): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
}

const key = fc.oneof(
  fc.constantFrom(...POLLUTING_KEYS, 'intent', 'confidence', 'entities', 'amount', 'region', 'confirm', 'tool', ''),
  fc.string({ maxLength: 12 }),
);
const scalarText = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
  hugeNumbers,
  fc.constantFrom('null', 'true', '"\\u0000"', '"\\ud800"', '"9001"'),
);
const pollutedObject = fc.array(fc.tuple(key, scalarText), { maxLength: 6 }).map(objectText);
const valueText = fc.oneof(
  scalarText,
  pollutedObject,
  pollutedObject.map((text) => `{"__proto__":${text},"constructor":{"prototype":${text}}}`),
);

/** Decision-shaped texts: plausible fields with hostile values and keys. */
const decisionText = fc
  .record({
    intent: fc.oneof(
      fc.constantFrom('"no_internet"', 'null', '""', '42', '["x"]', `"${'x'.repeat(300)}"`),
      fc.string().map((text) => JSON.stringify(text)),
    ),
    confidence: fc.oneof(
      fc.double().map((value) => (Number.isFinite(value) ? String(value) : '1')),
      hugeNumbers,
      fc.constantFrom('"0.9"', '"high"', 'null', '[]'),
    ),
    entities: fc.oneof(pollutedObject, valueText),
    extra: fc.array(fc.tuple(key, valueText), { maxLength: 3 }),
  })
  .map(({ intent, confidence, entities, extra }) => objectText([['intent', intent], ['confidence', confidence], ['entities', entities], ...extra]));

/** Nesting far past the parser's depth limit. */
const deepText = fc
  .integer({ min: 1, max: 20_000 })
  .chain((depth) =>
    fc.constantFrom(
      '['.repeat(depth) + ']'.repeat(depth),
      `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
      `{"intent":"x","confidence":0.9,"entities":${'{"e":'.repeat(depth)}1${'}'.repeat(depth)}}`,
    ),
  );

/** Model answers: raw JSON, any JSON, decision-shaped, deep, wrapped in prose or code fences, or plain garbage. */
export const modelAnswer = fc.oneof(
  decisionText,
  fc.json({ maxDepth: 4 }),
  deepText,
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc
    .tuple(fc.string({ maxLength: 40 }), decisionText, fc.string({ maxLength: 40 }))
    .map(([before, text, after]) => `${before}\`\`\`json\n${text}\n\`\`\`${after}`),
  fc.tuple(fc.string({ maxLength: 40 }), decisionText).map(([before, text]) => `${before} {${before} ${text}`),
);

/** What {@link runParseDecisionProperty} tried. */
export interface ParserPropertyReport {
  cases: number;
  accepted: number;
}

/**
 * fast-check over the core's `parseDecision`: random JSON, decision-shaped JSON with
 * hostile values, deep nesting, huge numbers and prototype-polluting keys, in prose and
 * code fences. It never throws; an accepted decision has a confidence in 0..1, an intent
 * that is null or a short string, plain `entities` without polluting keys; and
 * `Object.prototype` is never touched.
 */
export function runParseDecisionProperty(options: { numRuns: number; seed: number }): ParserPropertyReport {
  const report: ParserPropertyReport = { cases: 0, accepted: 0 };
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).join();
  fc.assert(
    fc.property(modelAnswer, (text) => {
      report.cases += 1;
      const parsed = parseDecision(text);
      if (!parsed.ok) {
        if (typeof parsed.error !== 'string' || parsed.error === '') throw new Error('a refusal without a reason');
        return;
      }
      report.accepted += 1;
      const { intent, confidence, entities } = parsed.decision;
      if (!(Number.isFinite(confidence) && confidence >= 0 && confidence <= 1)) throw new Error(`confidence ${confidence}`);
      if (!(intent === null || (typeof intent === 'string' && intent.length <= 200))) throw new Error(`intent ${String(intent)}`);
      if (Object.getPrototypeOf(entities) !== Object.prototype) throw new Error('entities is not a plain object');
      for (const name of POLLUTING_KEYS) if (Object.hasOwn(entities, name)) throw new Error(`entities kept the key ${name}`);
    }),
    { numRuns: options.numRuns, seed: options.seed, endOnFailure: true },
  );
  if (Object.getOwnPropertyNames(Object.prototype).join() !== prototypeBefore || ({} as Record<string, unknown>).polluted !== undefined)
    throw new Error('Object.prototype was polluted');
  return report;
}
