/** Shared checks of the `define*` functions; they collect issues instead of throwing one by one. */

const namePattern = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;

/** Names are identifiers: a letter, then letters, digits, `_`, `.`, `-` (at most 100). */
export function assertName(issues: string[], what: string, name: unknown): void {
  if (typeof name !== 'string' || !namePattern.test(name)) {
    issues.push(`${what} name must match ${namePattern} (got ${JSON.stringify(name)})`);
  }
}

/** True for a zod 4 (or 3) schema: something with `safeParse`. */
export function isZodSchema(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { safeParse?: unknown }).safeParse === 'function';
}
