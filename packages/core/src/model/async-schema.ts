/** What this walk reads of a zod 4 schema's (or check's) internals. */
interface ZodNode {
  _zod?: {
    check?: unknown;
    def?: {
      type?: string;
      fn?: unknown;
      transform?: unknown;
      checks?: readonly unknown[];
      innerType?: unknown;
      in?: unknown;
      out?: unknown;
      shape?: Record<string, unknown>;
      element?: unknown;
      keyType?: unknown;
      valueType?: unknown;
      options?: readonly unknown[];
      items?: readonly unknown[];
      rest?: unknown;
      left?: unknown;
      right?: unknown;
    };
  };
}

/** Whether `value` is an `async` function (a promise-returning plain function cannot be told apart). */
export const isAsyncFunction = (value: unknown): boolean => typeof value === 'function' && value.constructor?.name === 'AsyncFunction';

/**
 * Names the first part of a zod schema written as an `async` function — a refinement
 * (`.refine(async …)`, `.check(async …)`) or a transform (`.transform(async …)`) — or
 * undefined. The engine parses slot values and tool inputs and outputs synchronously, so
 * such a schema could never accept a value: zod throws on the promise. Functions that
 * return a promise without being `async` (and `superRefine`, which zod wraps) cannot be
 * seen here; the engine treats the throw they cause as a refused value. Each schema object is
 * looked at once, so a recursive schema is walked in linear time.
 */
export function findAsyncPart(schema: unknown, depth = 0, seen = new WeakSet<object>()): string | undefined {
  const node = (schema as ZodNode | undefined)?._zod;
  const def = node?.def;
  if (!def || depth > 20 || seen.has(schema as object)) return undefined;
  seen.add(schema as object);
  if (isAsyncFunction(def.transform)) return 'an async transform';
  if (isAsyncFunction(def.fn) || isAsyncFunction(node.check)) return 'an async refinement';
  const parts = [
    ...(def.checks ?? []),
    def.innerType,
    def.in,
    def.out,
    def.element,
    def.keyType,
    def.valueType,
    def.rest,
    def.left,
    def.right,
    ...Object.values(def.shape ?? {}),
    ...(def.options ?? []),
    ...(def.items ?? []),
  ];
  for (const part of parts) {
    const found = part === undefined ? undefined : findAsyncPart(part, depth + 1, seen);
    if (found) return found;
  }
  return undefined;
}
