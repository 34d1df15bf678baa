import { redactSecrets } from './redact.js';

const COPIED_FIELDS = ['code', 'errno', 'syscall', 'status', 'address', 'port'] as const;

/**
 * Rebuilds an error and its `cause` chain as plain `Error`s whose message and stack went
 * through `redactSecrets`, keeping only primitive diagnostic fields (`code`, `status`, …).
 * SDK and network errors may carry the request URL, headers or a body that echoes the key;
 * the copy carries none of them (DESIGN O4).
 */
export function sanitizeError(error: unknown, secrets: readonly string[], depth = 0): Error | undefined {
  if (error === undefined || error === null || depth > 5) return undefined;
  if (!(error instanceof Error)) return new Error(redactSecrets(describe(error), secrets));
  const copy = new Error(redactSecrets(error.message, secrets));
  copy.name = error.name;
  copy.stack = redactSecrets(error.stack ?? `${error.name}: ${error.message}`, secrets);
  const fields = error as unknown as Record<string, unknown>;
  for (const field of COPIED_FIELDS) {
    const value = fields[field];
    if (typeof value === 'number' || typeof value === 'boolean') (copy as unknown as Record<string, unknown>)[field] = value;
    if (typeof value === 'string') (copy as unknown as Record<string, unknown>)[field] = redactSecrets(value, secrets);
  }
  const cause = sanitizeError(error.cause, secrets, depth + 1);
  if (cause) Object.defineProperty(copy, 'cause', { value: cause, enumerable: false, writable: true, configurable: true });
  return copy;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
