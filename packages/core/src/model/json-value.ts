import type { z } from 'zod';
import { deepEqual } from '../util/deep-equal.js';
import { hasLoneSurrogate, LONE_SURROGATES } from '../util/lone-surrogate.js';

/**
 * A value as the store will keep it: plain JSON (dates as ISO strings, `undefined` dropped,
 * `NaN` as null — `JSON.stringify`'s rules) with every string made storable on every store
 * (NUL and lone surrogates become U+FFFD). The engine passes everything foreign (LLM
 * entities, tool outputs, workflow results, error texts) through it before it enters a
 * ticket, so the same document is accepted everywhere (issue 12 item 6).
 * @throws {TypeError} for values JSON cannot hold at all (BigInt, cycles).
 */
export function toJsonValue(value: unknown): unknown {
  const text = JSON.stringify(value);
  if (text === undefined) return null;
  return JSON.parse(text, (_key, item: unknown) => (typeof item === 'string' ? storableText(item) : item));
}

/** A string every store accepts: NUL characters and lone surrogates become U+FFFD. */
export function storableText(text: string): string {
  if (!text.includes('\u0000') && !hasLoneSurrogate(text)) return text;
  return text.replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATES, '\uFFFD');
}

/** Zod types whose values JSON cannot carry back (checked through wrappers and pipes). */
const unstorable: Record<string, string> = {
  bigint: 'a BigInt',
  map: 'a Map',
  set: 'a Set',
  symbol: 'a symbol',
  function: 'a function',
  promise: 'a promise',
  undefined: 'undefined',
  void: 'undefined',
};

interface ZodDef {
  type?: string;
  coerce?: boolean;
  innerType?: unknown;
  in?: unknown;
  out?: unknown;
  shape?: Record<string, unknown>;
  element?: unknown;
  valueType?: unknown;
  options?: readonly unknown[];
  items?: readonly unknown[];
  rest?: unknown;
}

interface ZodInternals {
  _zod?: { def?: ZodDef };
}

/**
 * Names the first output type of a zod schema that cannot be stored as JSON and parsed back
 * (`z.date()` without coercion, BigInt, Map, Set, …), or undefined. Transforms are checked at
 * run time instead (their output type is not known here). Each schema object is looked at once:
 * a recursive schema (getters returning itself) is walked in linear time, not exponential.
 */
export function findUnstorableType(schema: unknown, depth = 0, seen = new WeakSet<object>()): string | undefined {
  const def = (schema as ZodInternals)?._zod?.def;
  if (!def?.type || depth > 20 || seen.has(schema as object)) return undefined;
  seen.add(schema as object);
  if (def.type === 'date') return def.coerce ? undefined : 'a Date without coercion (z.date())';
  if (def.type in unstorable) return unstorable[def.type];
  if (def.type === 'pipe') return findUnstorableType(def.out, depth + 1, seen);
  const inner = [def.innerType, def.element, def.valueType, def.rest, ...Object.values(def.shape ?? {}), ...(def.options ?? []), ...(def.items ?? [])];
  for (const part of inner) {
    const found = part === undefined ? undefined : findUnstorableType(part, depth + 1, seen);
    if (found) return found;
  }
  return undefined;
}

/**
 * Parses `raw` with `schema` and returns the value in its stored (JSON) form, after checking
 * that the schema reads that form back to the same value — so a value compares equal to
 * itself on every later turn and a workflow always gets the schema's type.
 */
export function parseStorable<T>(schema: z.ZodType<T>, raw: unknown): { ok: true; stored: unknown } | { ok: false; reason: string } {
  const parsed = safeParseGuarded(schema, raw);
  if ('threw' in parsed) return { ok: false, reason: parsed.threw };
  if (!parsed.success) return { ok: false, reason: parsed.error.issues[0]?.message ?? 'invalid' };
  let stored: unknown;
  try {
    stored = toJsonValue(parsed.data);
  } catch (error) {
    return { ok: false, reason: `cannot be stored as JSON (${(error as Error).message})` };
  }
  const again = safeParseGuarded(schema, stored);
  if ('threw' in again) return { ok: false, reason: again.threw };
  if (!again.success) return { ok: false, reason: 'its stored (JSON) form does not pass the schema again' };
  let restored: unknown;
  try {
    restored = toJsonValue(again.data);
  } catch {
    return { ok: false, reason: 'its stored form cannot be read back' };
  }
  return deepEqual(restored, stored) ? { ok: true, stored } : { ok: false, reason: 'its stored (JSON) form reads back as another value' };
}

/**
 * `schema.safeParse(value)`, or why the schema threw instead of answering: app code in a
 * refinement or transform that throws, or an asynchronous part zod cannot run synchronously.
 * The reason names the error's class only: its message may quote the value (personal data).
 */
function safeParseGuarded<T>(schema: z.ZodType<T>, value: unknown): z.ZodSafeParseResult<T> | { threw: string } {
  try {
    return schema.safeParse(value);
  } catch (error) {
    const kind = error instanceof Error ? error.constructor.name : '';
    if (kind === '$ZodAsyncError') return { threw: 'the schema is asynchronous (an async refinement or transform): values are parsed synchronously' };
    const named = /^\w{1,60}$/.test(kind) ? `${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind}` : 'an error';
    return { threw: `the schema threw ${named} on this value` };
  }
}

/**
 * A stored (JSON) value as its schema reads it — a `z.coerce.date()` value is a `Date` again —
 * or the stored value itself when the schema refuses it or throws (a transform that depends on
 * data that changed since): a reader must never fail on what the ticket already holds.
 */
export function readStored(schema: { safeParse(value: unknown): { success: boolean; data?: unknown } } | undefined, stored: unknown): unknown {
  if (!schema) return stored;
  try {
    const parsed = schema.safeParse(stored);
    return parsed.success ? parsed.data : stored;
  } catch {
    return stored;
  }
}
