import { redactSecrets, sanitizeError, StoreError } from '@ticketflow/core/adapter';
import type { StoreErrorKind, StoreErrorOutcome, StoreOperation } from '@ticketflow/core/adapter';

const ADAPTER = 'redis';
const READS: ReadonlySet<StoreOperation> = new Set(['load', 'events', 'list', 'close']);
/** node-redis errors raised before a command is written to the socket. */
const NOT_SENT = new Set(['ClientClosedError', 'ClientOfflineError', 'ConnectionTimeoutError']);

/**
 * How far a failed call got: `connect` — no connection could be had, nothing was sent;
 * `sent` — the command was handed to the connection.
 */
export type RedisCallPhase = 'connect' | 'sent';

/** Reply codes that say the server cannot serve us now; retrying later may succeed. */
const UNAVAILABLE_REPLIES = new Set([
  'LOADING',
  'READONLY',
  'CLUSTERDOWN',
  'MASTERDOWN',
  'TRYAGAIN',
  'BUSY',
  'NOREPLICAS',
  'MISCONF',
  'OOM',
  'MOVED',
  'ASK',
  'NOSCRIPT',
]);
/** Reply codes of a refused login or permission: unavailable, but retrying will not help. */
const AUTH_REPLIES = new Set(['NOAUTH', 'WRONGPASS', 'NOPERM']);
/** Reply codes that mean a stored value is not what the store wrote. */
const CORRUPT_REPLIES = new Set(['WRONGTYPE', 'TFCORRUPT']);

/**
 * Whether a failed call may have taken effect. Reads change nothing. A write is
 * `not_applied` when no connection could be had, when node-redis refused to send the command
 * (closed or offline client), or when the server answered with an error reply (the scripts
 * check everything before their first write). A command sent without an answer — the
 * connection stalled past `commandTimeoutMs` or closed while waiting — is `unknown`: the
 * script may have run.
 */
export function outcomeOf(error: unknown, operation: StoreOperation, phase: RedisCallPhase): StoreErrorOutcome {
  if (READS.has(operation) || phase === 'connect' || isReplyError(error)) return 'not_applied';
  const name = error instanceof Error ? (error.constructor?.name ?? error.name) : '';
  return NOT_SENT.has(name) ? 'not_applied' : 'unknown';
}

/**
 * Maps anything a Redis call threw to a `StoreError`. Server error replies are classified
 * by their code; every other failure (refused, reset, timeouts, closed or offline client)
 * is `unavailable`. `outcome` says whether it may have taken effect ({@link outcomeOf}).
 * Messages and the cause are scrubbed of `secrets` and URL passwords.
 */
export function toRedisStoreError(error: unknown, operation: StoreOperation, secrets: readonly string[], phase: RedisCallPhase = 'sent'): StoreError {
  if (StoreError.isInstance(error)) return error;
  const description = redactSecrets(describe(error), secrets);
  const code = isReplyError(error) ? replyCode(error) : undefined;
  const { kind, retryable } = classify(code);
  const outcome = outcomeOf(error, operation, phase);
  const consequence = outcome === 'unknown' ? ' — outcome unknown: it may have been applied (retrying the turn with the same messageId is safe)' : '';
  return new StoreError({
    kind,
    adapter: ADAPTER,
    message: `${operation} failed: ${description}${consequence}`,
    retryable,
    outcome,
    cause: sanitizeError(error, secrets),
  });
}

function classify(code: string | undefined): { kind: StoreErrorKind; retryable?: boolean } {
  if (code === undefined) return { kind: 'unavailable' };
  if (UNAVAILABLE_REPLIES.has(code)) return { kind: 'unavailable' };
  if (AUTH_REPLIES.has(code)) return { kind: 'unavailable', retryable: false };
  if (CORRUPT_REPLIES.has(code)) return { kind: 'corrupt' };
  return { kind: 'invalid' };
}

/** node-redis marks server replies with `ErrorReply` (from any copy of the package). */
export function isReplyError(error: unknown): error is Error {
  for (let prototype = error; typeof prototype === 'object' && prototype !== null; prototype = Object.getPrototypeOf(prototype)) {
    if (Object.hasOwn(prototype, 'constructor') && (prototype as { constructor: { name?: string } }).constructor.name === 'ErrorReply') return true;
  }
  return false;
}

function replyCode(error: Error): string {
  return /^[A-Z][A-Z_]*/.exec(error.message)?.[0] ?? 'ERR';
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const parts = [error.message || (typeof code === 'string' ? code : error.name)];
  if (error instanceof AggregateError) {
    parts.push(...error.errors.map((inner: unknown) => (inner instanceof Error ? inner.message : String(inner))));
  }
  return [...new Set(parts.filter(Boolean))].join('; ');
}
