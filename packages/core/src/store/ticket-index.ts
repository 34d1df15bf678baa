import type { TicketIndex } from './ticket-store.js';

const EPOCH = '1970-01-01T00:00:00.000Z';
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');

/**
 * What a store indexes of a ticket document (see {@link TicketIndex}): the one place that
 * reads the document's shape for adapters. Times come back canonical — `toISOString()`
 * form, 24 characters, years 0001–9999 — so their text order is their time order in every
 * backend. A missing or unreadable `updatedAt` reads as the epoch (oldest first); a claim
 * beyond year 9999 as the last millisecond of 9999. Documents written before incarnations
 * existed get a deterministic one from their creation time, so old rows keep committing.
 *
 * @example
 * ```ts
 * const { status, updatedAt, claimExpiresAt, incarnation } = ticketIndexOf(request.ticket);
 * ```
 */
export function ticketIndexOf(ticket: unknown): TicketIndex {
  const document = (typeof ticket === 'object' && ticket !== null ? ticket : {}) as {
    status?: unknown;
    updatedAt?: unknown;
    createdAt?: unknown;
    incarnation?: unknown;
    execution?: { leaseExpiresAt?: unknown } | null;
  };
  const execution = stored(document.execution) as { leaseExpiresAt?: unknown } | null | undefined;
  const lease = typeof execution === 'object' && execution !== null ? stored(execution.leaseExpiresAt) : undefined;
  const status = stored(document.status);
  const updatedAt = stored(document.updatedAt);
  const incarnation = stored(document.incarnation);
  const createdAt = stored(document.createdAt);
  return {
    status: typeof status === 'string' ? status : 'open',
    updatedAt: (typeof updatedAt === 'string' && canonicalTime(updatedAt)) || EPOCH,
    claimExpiresAt: typeof lease === 'number' && !Number.isNaN(lease) ? isoOf(Math.min(Math.max(lease, EARLIEST), LATEST)) : null,
    incarnation: typeof incarnation === 'string' ? incarnation : `legacy:${typeof createdAt === 'string' ? createdAt : ''}`,
  };
}

/** A field as the stored JSON holds it: what its `toJSON` returns (a `Date`: its ISO string), so the index agrees with the document. */
function stored(value: unknown): unknown {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function'
    ? (value as { toJSON(): unknown }).toJSON()
    : value;
}

/** Statuses a ticket is busy in: `purge` never deletes it then. */
export const BUSY_STATUSES: readonly string[] = ['executing', 'awaiting_approval', 'awaiting_input'];

/**
 * An ISO 8601 time (`2026-01-02T03:04:05.678Z`, or with an offset) in canonical form —
 * UTC, milliseconds, 24 characters — or undefined when the text is not such a time or lies
 * outside years 0001–9999.
 */
export function canonicalTime(text: string): string | undefined {
  if (!ISO_TIME.test(text)) return undefined;
  const time = Date.parse(text);
  if (Number.isNaN(time) || time < EARLIEST || time > LATEST) return undefined;
  return isoOf(time);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function isoOf(time: number): string {
  return new Date(time).toISOString();
}

/**
 * The order of {@link TicketStore.list}: oldest `updatedAt` first, ties by ticket id in
 * Unicode code point order — the byte order of UTF-8, which is how SQLite, PostgreSQL
 * (`COLLATE "C"`) and Redis sorted sets compare text. Negative when `a` comes first.
 */
export function compareTicketOrder(a: { updatedAt: string; ticketId: string }, b: { updatedAt: string; ticketId: string }): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? -1 : 1;
  return compareCodePoints(a.ticketId, b.ticketId);
}

/** Compares two strings by Unicode code point (UTF-16 `<` puts U+E000–U+FFFF after astral characters). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const left = a.charCodeAt(index);
    const right = b.charCodeAt(index);
    if (left === right) continue;
    const leftSurrogate = left >= 0xd800 && left <= 0xdfff;
    const rightSurrogate = right >= 0xd800 && right <= 0xdfff;
    // A surrogate starts a code point above U+FFFF, after every other UTF-16 unit.
    if (leftSurrogate !== rightSurrogate) return leftSurrogate ? 1 : -1;
    return left < right ? -1 : 1;
  }
  return a.length - b.length;
}
