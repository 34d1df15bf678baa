/**
 * A deep copy of plain JSON-like data (`structuredClone`), frozen all the way down: what the
 * engine hands app code to read (`ctx.ticket`, an approval predicate's context). Writing to it
 * throws in strict code (a silent no-op in sloppy code) instead of changing the ticket the
 * engine is about to commit.
 */
export function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const item of Object.values(value)) deepFreeze(item);
  return Object.freeze(value);
}
