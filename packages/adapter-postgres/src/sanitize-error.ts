import { redactSecrets } from '@ticketflow/core/adapter';

const MAX_DEPTH = 4;

/**
 * Returns `error` itself when none of its text holds a secret, else a copy with the secrets
 * replaced: a driver error kept as `cause` must not carry the password either (Node's URL
 * errors keep the whole connection string in `input`, for instance).
 */
export function sanitizeError(error: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof error === 'string') return redactSecrets(error, secrets);
  if (!(error instanceof Error) || !holdsSecret(error, secrets, depth)) return error;
  const copy = new Error(redactSecrets(error.message, secrets));
  for (const key of Object.getOwnPropertyNames(error)) {
    if (key === 'message') continue;
    const value = (error as unknown as Record<string, unknown>)[key];
    let clean: unknown = value;
    if (typeof value === 'string') clean = redactSecrets(value, secrets);
    else if (key === 'cause' && depth < MAX_DEPTH) clean = sanitizeError(value, secrets, depth + 1);
    else if (key === 'errors' && Array.isArray(value)) clean = value.map((inner) => sanitizeError(inner, secrets, depth + 1));
    else if (typeof value === 'object' && value !== null) continue; // configs and sockets: dropped rather than scanned
    Object.defineProperty(copy, key, { value: clean, enumerable: Object.prototype.propertyIsEnumerable.call(error, key), writable: true, configurable: true });
  }
  Object.defineProperty(copy, 'name', { value: error.name, enumerable: false, writable: true, configurable: true });
  return copy;
}

function holdsSecret(error: Error, secrets: readonly string[], depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  for (const key of Object.getOwnPropertyNames(error)) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (typeof value === 'string' && redactSecrets(value, secrets) !== value) return true;
    if (key === 'cause' && value instanceof Error && holdsSecret(value, secrets, depth + 1)) return true;
    if (key === 'errors' && Array.isArray(value) && value.some((inner) => inner instanceof Error && holdsSecret(inner, secrets, depth + 1))) return true;
  }
  return false;
}
