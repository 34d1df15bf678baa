import { hasLoneSurrogate } from '../util/lone-surrogate.js';
/** Where a value breaks the storage rule, and why (see `encodeStoredJson`). */
export interface UnstorableValue {
  /** JSON path of the offending value or key, e.g. `$.slots.note.value` or `$.items[3]`. */
  path: string;
  /** What is wrong, e.g. `a NUL character (U+0000)`. */
  reason: string;
}

type Segment = string | number;

const SUSPECT_CHARACTER = /[\u0000\uD800-\uDFFF]/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_DEPTH = 512;
const TOO_DEEP = `more than ${MAX_DEPTH} levels of nesting`;

/**
 * The first value (depth first) that no ticketflow store may hold, or undefined when the
 * whole value is storable. Strings and keys must be well-formed Unicode without NUL; numbers
 * finite; objects plain (or with a `toJSON`), arrays without holes of `undefined`; no cycles.
 */
export function findUnstorableValue(value: unknown): UnstorableValue | undefined {
  const path: Segment[] = [];
  let reason: string | undefined;
  try {
    reason = check(value, '', path, 0);
  } catch (error) {
    reason = error instanceof RangeError ? TOO_DEEP : 'a value whose toJSON() threw';
  }
  if (reason === undefined) return undefined;
  if (reason === TOO_DEEP) {
    const cycle = cycleOf(value);
    if (cycle) return { path: formatPath(cycle), reason: 'a reference to one of its own ancestors (a cycle)' };
  }
  return { path: formatPath(path.slice(0, MAX_DEPTH)), reason };
}

/** The path of a cycle in `value`, or undefined — also when the value nests too deep to search (it is refused as too deep). */
function cycleOf(value: unknown): Segment[] | undefined {
  try {
    return findCycle(value, [], new Set());
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/**
 * A fast, allocation-free test that a value is plainly storable: finite numbers, strings,
 * booleans, null, arrays without `undefined` items and plain objects, no deeper than the
 * limit. Strings are not inspected (their NUL characters and lone surrogates show in the
 * JSON text as escapes, see `encodeStoredJson`). False means "look closer" with
 * {@link findUnstorableValue}: a `Date`, a `toJSON`, a hole, a non-finite number…
 */
export function isPlainlyStorable(value: unknown, depth = 0): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      return value === null || (depth < MAX_DEPTH && (Array.isArray(value) ? itemsArePlain(value, depth) : propertiesArePlain(value, depth)));
    default:
      return false;
  }
}

function itemsArePlain(items: unknown[], depth: number): boolean {
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index];
    if (item === undefined || !isPlainlyStorable(item, depth + 1)) return false;
  }
  return true;
}

function propertiesArePlain(record: object, depth: number): boolean {
  const prototype: unknown = Object.getPrototypeOf(record);
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const key in record) {
    const item: unknown = (record as Record<string, unknown>)[key];
    if (item !== undefined && !isPlainlyStorable(item, depth + 1)) return false;
  }
  return true;
}

/** Why a string cannot be stored, or undefined. */
export function unstorableText(text: string): string | undefined {
  if (!SUSPECT_CHARACTER.test(text)) return undefined;
  if (text.includes('\u0000')) return 'a NUL character (U+0000)';
  return hasLoneSurrogate(text) ? 'a lone UTF-16 surrogate (not well-formed Unicode)' : undefined;
}

function check(value: unknown, key: string, path: Segment[], depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return SUSPECT_CHARACTER.test(value) ? unstorableText(value) : undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${String(value)}, which JSON cannot represent`;
    case 'boolean':
      return undefined;
    case 'bigint':
      return 'a BigInt, which JSON cannot represent (store it as a string)';
    case 'undefined':
      return 'undefined, which JSON cannot represent in an array';
    case 'function':
    case 'symbol':
      return `a ${typeof value}, which JSON cannot represent`;
    default:
      return value === null ? undefined : checkObject(value as object, key, path, depth);
  }
}

function checkObject(value: object, key: string, path: Segment[], depth: number): string | undefined {
  // Past this depth the value is either absurdly nested or holds a cycle: the caller tells which.
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return checkItems(value, path, depth);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    const replaced: unknown = (value as { toJSON: (key: string) => unknown }).toJSON(key);
    if (typeof replaced !== 'object' || replaced === null) return check(replaced, key, path, depth);
    return Array.isArray(replaced) ? checkItems(replaced, path, depth) : checkProperties(replaced as Record<string, unknown>, path, depth);
  }
  if (prototype !== Object.prototype && prototype !== null && Object.prototype.toString.call(value) !== '[object Object]') {
    return `an object of type ${Object.prototype.toString.call(value).slice(8, -1)}, which JSON cannot represent (convert it to plain data)`;
  }
  return checkProperties(value as Record<string, unknown>, path, depth);
}

function checkItems(items: unknown[], path: Segment[], depth: number): string | undefined {
  for (let index = 0; index < items.length; index += 1) {
    path.push(index);
    const reason = check(items[index], String(index), path, depth + 1);
    if (reason !== undefined) return reason;
    path.pop();
  }
  return undefined;
}

function checkProperties(record: Record<string, unknown>, path: Segment[], depth: number): string | undefined {
  for (const key of Object.keys(record)) {
    const item = record[key];
    // JSON leaves out properties whose value is undefined (an absent optional field), key and all.
    if (item === undefined) continue;
    path.push(key);
    if (SUSPECT_CHARACTER.test(key)) {
      const keyReason = unstorableText(key);
      if (keyReason !== undefined) return `a key with ${keyReason}`;
    }
    const reason = check(item, key, path, depth + 1);
    if (reason !== undefined) return reason;
    path.pop();
  }
  return undefined;
}

/** The path of the first value that is one of its own ancestors, or undefined. */
function findCycle(value: unknown, path: Segment[], ancestors: Set<object>): Segment[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (ancestors.has(value)) return path;
  ancestors.add(value);
  const entries: [Segment, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  for (const [segment, item] of entries) {
    const found = findCycle(item, [...path, segment], ancestors);
    if (found) return found;
  }
  ancestors.delete(value);
  return undefined;
}

/** Segments of a path shown; a longer path (a value nested too deep) shows its start and its length. */
const SHOWN_SEGMENTS = 12;

function formatPath(path: Segment[]): string {
  let text = '$';
  for (const segment of path.slice(0, SHOWN_SEGMENTS)) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) text += `.${segment}`;
    else text += `[${JSON.stringify(segment.length > 40 ? `${segment.slice(0, 40)}…` : segment)}]`;
  }
  return path.length > SHOWN_SEGMENTS ? `${text}… (${path.length} levels)` : text;
}
