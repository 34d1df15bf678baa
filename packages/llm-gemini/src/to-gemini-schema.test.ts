import { describe, expect, it } from 'vitest';
import { toGeminiSchema } from './to-gemini-schema.js';
import { readWireFixture } from './wire-fixtures.test-support.js';

interface RequestFixture {
  generationConfig: { responseJsonSchema?: Record<string, unknown>; responseSchema?: Record<string, unknown> };
}
const fixture = (file: string) => JSON.parse(readWireFixture('gemini', file)) as RequestFixture;

/** The recorded OpenAPI schema sends int64 bounds as strings and has no propertyOrdering. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'propertyOrdering')
      .map(([key, item]) => [key, ['minLength', 'maxLength', 'minItems', 'maxItems'].includes(key) ? String(item) : normalise(item)]),
  );
}

describe('toGeminiSchema', () => {
  it('turns the recorded responseJsonSchema into the recorded OpenAPI responseSchema', () => {
    const jsonSchema = fixture('generateContent.responseJsonSchema.request.json').generationConfig.responseJsonSchema!;
    const openApi = fixture('generateContent.responseSchema.request.json').generationConfig.responseSchema!;
    expect(normalise(toGeminiSchema(jsonSchema))).toEqual(normalise(openApi));
  });

  it('keeps the declared property order', () => {
    const converted = toGeminiSchema({ type: 'object', properties: { b: { type: 'string' }, a: { type: 'number' } } });
    expect(converted.propertyOrdering).toEqual(['b', 'a']);
  });

  it('converts a zod-style decision schema: nullable enum, const, $ref, dropped keywords', () => {
    const converted = toGeminiSchema({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        intent: { anyOf: [{ type: 'string', enum: ['no_internet', 'slow_internet'] }, { type: 'null' }] },
        confidence: { type: 'number', minimum: 0, maximum: 1, exclusiveMaximum: 2 },
        kind: { const: 'decision' },
        region: { $ref: '#/$defs/Region' },
        email: { type: 'string', format: 'email' },
        entities: { type: 'object', properties: {}, additionalProperties: { type: 'string' } },
      },
      required: ['intent', 'confidence'],
      additionalProperties: false,
      $defs: { Region: { type: 'string', minLength: 2, description: 'city or region' } },
    });
    expect(converted).toEqual({
      type: 'OBJECT',
      properties: {
        intent: { type: 'STRING', enum: ['no_internet', 'slow_internet'], nullable: true },
        confidence: { type: 'NUMBER', minimum: 0, maximum: 1 },
        kind: { type: 'STRING', enum: ['decision'] },
        region: { type: 'STRING', minLength: 2, description: 'city or region' },
        email: { type: 'STRING' },
        entities: { type: 'OBJECT', properties: {}, propertyOrdering: [] },
      },
      propertyOrdering: ['intent', 'confidence', 'kind', 'region', 'email', 'entities'],
      required: ['intent', 'confidence'],
    });
  });

  it('turns a type array and a multi-member union into anyOf', () => {
    expect(toGeminiSchema({ type: ['string', 'number', 'null'] })).toEqual({ anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }], nullable: true });
    expect(toGeminiSchema({ oneOf: [{ type: 'string' }, { type: 'integer' }] })).toEqual({ anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }] });
  });

  it('refuses a recursive $ref with a clear message', () => {
    const recursive = { $ref: '#/$defs/Node', $defs: { Node: { type: 'object', properties: { next: { $ref: '#/$defs/Node' } } } } };
    expect(() => toGeminiSchema(recursive)).toThrow(/recursive \$ref.*json-schema/);
  });
});
