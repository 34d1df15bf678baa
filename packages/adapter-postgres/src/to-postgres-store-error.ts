import { redactSecrets, StoreError } from '@ticketflow/core';
import type { StoreErrorKind } from '@ticketflow/core';
import { sanitizeError } from './sanitize-error.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'EHOSTDOWN',
  'ENETUNREACH', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'ENOENT',
]);

// pg's own messages when a connection or query gives up; they carry no code.
const DRIVER_UNAVAILABLE = /connection terminated|timeout|not queryable|cannot use a pool after calling end|connection error|server closed the connection/i;

interface Classification {
  kind: StoreErrorKind;
  retryable?: boolean;
}

/** Classifies a SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
function classifySqlState(code: string): Classification | undefined {
  if (code === '40001' || code === '40P01') return { kind: 'conflict' };
  if (code === '57014' || code === '55P03') return { kind: 'unavailable' }; // statement or lock timeout
  if (code === '42P01' || code === '3F000') return { kind: 'unavailable' }; // tables dropped: recreated on the next call
  if (code === '42501' || code === '3D000' || code.startsWith('28')) return { kind: 'unavailable', retryable: false };
  if (code === 'XX001' || code === 'XX002' || code.startsWith('23')) return { kind: 'corrupt', retryable: false };
  const errorClass = code.slice(0, 2);
  if (['08', '53', '57', '58'].includes(errorClass)) return { kind: 'unavailable' };
  if (['22', '54', '42'].includes(errorClass)) return { kind: 'invalid' };
  return undefined;
}

function classify(error: unknown): Classification {
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return { kind: 'unavailable' };
    if (/^[0-9A-Z]{5}$/.test(code)) return classifySqlState(code) ?? { kind: 'unavailable' };
  }
  if (error instanceof AggregateError && error.errors.length > 0) return classify(error.errors[0]);
  if (typeof message === 'string' && DRIVER_UNAVAILABLE.test(message)) return { kind: 'unavailable' };
  if (error instanceof RangeError) return { kind: 'invalid' };
  return { kind: 'unavailable' };
}

/**
 * Maps anything `pg` throws to a {@link StoreError}: `unavailable` for network failures,
 * timeouts, shutdowns and exhausted resources; `conflict` only for serialisation failures and
 * deadlocks; `corrupt` for broken data or constraints; `invalid` for data the server
 * refuses (class 22, 54). The message and the attached `cause` never hold `secrets`.
 */
export function toPostgresStoreError(error: unknown, action: string, secrets: readonly string[]): StoreError {
  if (StoreError.isInstance(error)) return error;
  const { kind, retryable } = classify(error);
  const record = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  const text = typeof record.message === 'string' && record.message.length > 0 ? record.message : String(record.code ?? error);
  const code = typeof record.code === 'string' ? ` (${record.code})` : '';
  return new StoreError({
    kind,
    adapter: 'postgres',
    message: redactSecrets(`${action} failed: ${text}${code}`, secrets),
    cause: sanitizeError(error, secrets),
    ...(retryable === undefined ? {} : { retryable }),
  });
}
