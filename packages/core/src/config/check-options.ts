import { z } from 'zod';
import { ConfigurationError } from '../errors/ticketflow-error.js';
import { didYouMean } from './closest-name.js';

/** Extra rules of {@link checkOptions}. */
export interface CheckOptionsRules {
  /**
   * Options a reader may expect from a sibling (another adapter has them) that this one
   * cannot honour, each with the reason and what to do instead: refused with that sentence
   * rather than a bare "unknown option". E.g. `{ ttlMs: 'retention is store.purge({ before })' }`.
   */
  unsupported?: Readonly<Record<string, string>>;
}

/**
 * Checks an options object against a zod object schema and lists every problem, one
 * sentence each: unknown keys (with the closest valid key: `unknown option "leaseMS" — did
 * you mean "leaseMs"?`), missing or mistyped values. Unknown keys are always problems, even
 * when the schema is not strict: an option that cannot be honoured is refused, never ignored.
 *
 * @returns the parsed options and the problems (an empty list when there are none).
 */
export function checkOptions<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  options: unknown,
  what: string,
  rules: CheckOptionsRules = {},
): { options: z.output<z.ZodObject<Shape>> | undefined; issues: string[] } {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return {
      options: undefined,
      issues: [`${what} needs an options object (got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options})`],
    };
  }
  const known = Object.keys(schema.shape);
  const issues: string[] = [];
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const reason = rules.unsupported && Object.hasOwn(rules.unsupported, key) ? rules.unsupported[key] : undefined;
    if (reason !== undefined) {
      issues.push(`${what} does not support option ${JSON.stringify(key)}: ${reason}`);
      continue;
    }
    issues.push(unknownKey(key, known));
  }
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        if (path === '') continue;
        const nested = shapeKeys(schema, issue.path);
        for (const key of issue.keys) issues.push(`${path}: ${unknownKey(key, nested)}`);
        continue;
      }
      issues.push(path ? `${path}: ${issue.message}` : issue.message);
    }
  }
  return { options: parsed.success ? parsed.data : undefined, issues };
}

/**
 * Like {@link checkOptions}, but throws.
 * @throws {ConfigurationError} listing every problem at once.
 */
export function parseOptions<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  options: unknown,
  what: string,
  rules: CheckOptionsRules = {},
): z.output<z.ZodObject<Shape>> {
  const { options: parsed, issues } = checkOptions(schema, options, what, rules);
  if (issues.length > 0 || parsed === undefined) throw new ConfigurationError({ message: `Invalid ${what} options`, issues });
  return parsed;
}

function unknownKey(key: string, known: readonly string[]): string {
  return `unknown option ${JSON.stringify(key)}${didYouMean(key, known) || (known.length > 0 ? ` (valid options: ${known.join(', ')})` : '')}`;
}

/** The keys of the object schema at `path` inside `schema` (through optional and nullable wrappers). */
function shapeKeys(schema: unknown, path: readonly PropertyKey[]): string[] {
  let current = schema as { shape?: Record<string, unknown>; _zod?: { def?: { innerType?: unknown } } } | undefined;
  for (const segment of path) {
    while (current && !current.shape && current._zod?.def?.innerType) current = current._zod.def.innerType as typeof current;
    current = current?.shape?.[String(segment)] as typeof current;
  }
  while (current && !current.shape && current._zod?.def?.innerType) current = current._zod.def.innerType as typeof current;
  return current?.shape ? Object.keys(current.shape) : [];
}
