import { didYouMean } from '../config/closest-name.js';
/** Shared checks of the `define*` functions; they collect issues instead of throwing one by one. */

const namePattern = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;

/** Names are identifiers: a letter, then letters, digits, `_`, `.`, `-` (at most 100). */
export function assertName(issues: string[], what: string, name: unknown): void {
  if (typeof name !== 'string' || !namePattern.test(name)) {
    issues.push(`${what} name must match ${namePattern} (got ${JSON.stringify(name)})`);
  } else if (name in Object.prototype) {
    // A name every object already has (`constructor`, `toString`…) would read as known in any map of names.
    issues.push(`${what} name ${JSON.stringify(name)} is the name of a property every JavaScript object has; choose another name`);
  }
}

/** True for a zod 4 (or 3) schema: something with `safeParse`. */
export function isZodSchema(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { safeParse?: unknown }).safeParse === 'function';
}

/**
 * Reports keys of a definition that are not options of it (a misspelt `sensitve` must not
 * be ignored silently), naming the closest valid key.
 */
export function checkKnownKeys(issues: string[], what: string, config: unknown, known: readonly string[]): void {
  if (typeof config !== 'object' || config === null) return;
  for (const key of Object.keys(config)) {
    if (known.includes(key)) continue;
    issues.push(`${what}: unknown option ${JSON.stringify(key)}${didYouMean(key, known) || ` (valid options: ${known.join(', ')})`}`);
  }
}
