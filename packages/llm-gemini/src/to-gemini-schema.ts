type JsonSchema = Record<string, unknown>;

const TYPES: Record<string, string> = { string: 'STRING', number: 'NUMBER', integer: 'INTEGER', boolean: 'BOOLEAN', array: 'ARRAY', object: 'OBJECT' };
const COPIED = [
  'title',
  'description',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
] as const;
const FORMATS = new Set(['date-time', 'enum', 'int32', 'int64', 'float', 'double']);

/**
 * Converts a JSON Schema (as `z.toJSONSchema` emits it) to the OpenAPI 3.0 subset of
 * Gemini's `responseSchema` (`Schema` proto), for `schemaDialect: 'openapi'`:
 * upper-case `type`; `null` in `type` arrays, `anyOf`/`oneOf` and `enum` becomes
 * `nullable: true`; `const` becomes a one-value `enum`; local `$ref`s are inlined;
 * `propertyOrdering` keeps the declared key order. Keywords the proto has no field for
 * (`$schema`, `additionalProperties`, `not`, `exclusiveMinimum`, most `format`s, …) are
 * dropped: the conversion is lossy, which is why the default dialect sends the schema
 * unchanged as `responseJsonSchema`.
 *
 * @throws {Error} for a recursive `$ref` (the OpenAPI subset cannot express it).
 */
export function toGeminiSchema(schema: JsonSchema): JsonSchema {
  const definitions = { ...asRecord(schema.definitions), ...asRecord(schema.$defs) };
  return convert(schema, definitions, []);
}

function convert(input: JsonSchema, definitions: Record<string, unknown>, refs: string[]): JsonSchema {
  let schema = input;
  if (typeof schema.$ref === 'string') {
    const ref = schema.$ref;
    if (refs.includes(ref)) throw new Error(`recursive $ref ${ref} cannot be expressed as a Gemini responseSchema; use schemaDialect 'json-schema'`);
    const name = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref)?.[1];
    const target = name === undefined ? undefined : asRecord(definitions[decodeURIComponent(name)]);
    if (!target) throw new Error(`unresolvable $ref ${ref}`);
    const { $ref: _ignored, ...siblings } = schema;
    return convert({ ...target, ...siblings }, definitions, [...refs, ref]);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    const { allOf, ...rest } = schema;
    schema = Object.assign({}, ...(allOf as JsonSchema[]).map((member) => asRecord(member) ?? {}), rest) as JsonSchema;
  }

  const result: JsonSchema = {};
  let nullable = false;
  const union = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(union)) {
    const members = union
      .map((member) => asRecord(member) ?? {})
      .filter((member) => {
        const isNull = member.type === 'null';
        nullable ||= isNull;
        return !isNull;
      });
    if (members.length === 1) Object.assign(result, convert({ ...(members[0] as JsonSchema), ...withoutUnion(schema) }, definitions, refs));
    else if (members.length > 1) result.anyOf = members.map((member) => convert(member, definitions, refs));
  }

  const types = (Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type]) as string[];
  nullable ||= types.includes('null');
  const concrete = types.filter((type) => type !== 'null' && TYPES[type]);
  if (concrete.length === 1) result.type = TYPES[concrete[0] as string];
  else if (concrete.length > 1) result.anyOf = concrete.map((type) => ({ type: TYPES[type] }));
  else if (result.type === undefined && result.anyOf === undefined && schema.properties !== undefined) result.type = 'OBJECT';

  for (const key of COPIED) if (schema[key] !== undefined) result[key] = schema[key];
  if (typeof schema.format === 'string' && FORMATS.has(schema.format)) result.format = schema.format;
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : undefined;
  if (values) {
    nullable ||= values.includes(null);
    const strings = values.filter((value) => value !== null);
    if (strings.every((value) => typeof value === 'string') && strings.length > 0) {
      result.enum = strings;
      result.type ??= 'STRING';
    }
  }
  const properties = asRecord(schema.properties);
  if (properties) {
    result.properties = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, convert(asRecord(value) ?? {}, definitions, refs)]));
    result.propertyOrdering = Object.keys(properties);
    if (Array.isArray(schema.required) && schema.required.length > 0) result.required = schema.required;
  }
  const items = asRecord(schema.items);
  if (items) result.items = convert(items, definitions, refs);
  if (nullable) result.nullable = true;
  return result;
}

function withoutUnion(schema: JsonSchema): JsonSchema {
  const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = schema;
  return rest;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
