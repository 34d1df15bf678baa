import { redactSecrets, sanitizeError, StoreError } from '@ticketflow/core/adapter';
import type { StoreErrorKind, StoreErrorOutcome, StoreOperation } from '@ticketflow/core/adapter';

/**
 * How far a failed call got: `connect` — it failed while getting a connection, so nothing
 * was sent; `query` — the statement was (being) sent; `unknown` — a pool without `connect`
 * reported the failure, so the phase is read from the error itself.
 */
export type PostgresCallPhase = 'connect' | 'query' | 'unknown';

const READS: ReadonlySet<StoreOperation> = new Set(['load', 'events', 'list', 'close']);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL', 'ENOENT']);
// pg's messages when no connection could be had (pool checkout or connect timeout).
const CONNECT_MESSAGES = /timeout exceeded when trying to connect|connection terminated due to connection timeout|cannot use a pool after calling end/i;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'ENOENT',
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
 * Whether a failed call may have taken effect. Reads change nothing. A write is
 * `not_applied` when it never reached the server (no connection: refused, DNS, pool
 * checkout or connect timeout, authentication) or when the server answered with an error
 * (the statement's implicit transaction rolled back) — except a terminated connection or
 * a shutdown (SQLSTATE class 08, 57P0x), which can strike after the commit. Anything else —
 * the client's read timeout on a stalled connection, a reset socket mid-statement — is
 * `unknown`: the commit may have landed, or may land later.
 */
export function outcomeOf(error: unknown, operation: StoreOperation, phase: PostgresCallPhase): StoreErrorOutcome {
  if (READS.has(operation) || phase === 'connect') return 'not_applied';
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code.startsWith('08') || code.startsWith('57P0') ? 'unknown' : 'not_applied';
  const connectFailure = (typeof code === 'string' && CONNECT_CODES.has(code)) || (typeof message === 'string' && CONNECT_MESSAGES.test(message));
  if (error instanceof AggregateError && error.errors.length > 0) return outcomeOf(error.errors[0], operation, phase);
  return phase === 'unknown' && connectFailure ? 'not_applied' : 'unknown';
}

/**
 * Maps anything `pg` throws to a {@link StoreError}: `unavailable` for network failures,
 * timeouts, shutdowns and exhausted resources; `conflict` only for serialisation failures and
 * deadlocks; `corrupt` for broken data or constraints; `invalid` for data the server
 * refuses (class 22, 54). `outcome` says whether it may have taken effect ({@link outcomeOf}).
 * The message and the attached `cause` never hold `secrets`.
 */
export function toPostgresStoreError(error: unknown, operation: StoreOperation, secrets: readonly string[], phase: PostgresCallPhase = 'unknown'): StoreError {
  if (StoreError.isInstance(error)) return error;
  const { kind, retryable } = classify(error);
  const record = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  const text = typeof record.message === 'string' && record.message.length > 0 ? record.message : String(record.code ?? error);
  const code = typeof record.code === 'string' ? ` (${record.code})` : '';
  const outcome = outcomeOf(error, operation, phase);
  const consequence = outcome === 'unknown' ? ' — outcome unknown: it may have been applied (retrying the turn with the same messageId is safe)' : '';
  return new StoreError({
    kind,
    adapter: 'postgres',
    message: redactSecrets(`${operation} failed: ${text}${code}${consequence}`, secrets),
    cause: sanitizeError(error, secrets),
    outcome,
    ...(retryable === undefined ? {} : { retryable }),
  });
}
