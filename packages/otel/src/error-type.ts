/**
 * A low-cardinality `error.type` for an error an operation rejected with: a ticketflow
 * error's `code` (`store_unavailable`, `invalid_argument`, `ticket_state`, …), else the
 * error's class name, else `_OTHER` (the conventions' fallback).
 */
export function errorTypeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0 && code.length <= 64) return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name.length > 0 && name.length <= 64) return name;
  }
  return '_OTHER';
}

/** The error as something `span.recordException` takes. */
export function exceptionOf(error: unknown): Error | string {
  if (error instanceof Error) return error;
  try {
    return String(error);
  } catch {
    return 'unknown error';
  }
}
