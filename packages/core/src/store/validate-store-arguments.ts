import { StoreError } from './store-error.js';
import type { CommitRequest, EventsQuery } from './ticket-store.js';
import { hasLoneSurrogate } from '../util/lone-surrogate.js';

/**
 * Argument checks shared by every adapter, so that bad input fails the same way
 * everywhere: a `StoreError` of kind `invalid`, before the backend is touched.
 */
export function validateTicketId(adapter: string, ticketId: unknown): asserts ticketId is string {
  if (typeof ticketId !== 'string' || ticketId.length === 0) {
    throw new StoreError({ kind: 'invalid', adapter, message: 'ticketId must be a non-empty string' });
  }
  // Backends store text as UTF-8: a NUL or a lone surrogate cannot be stored faithfully
  // (Postgres refuses NUL; encoders turn lone surrogates into U+FFFD, so two ids could collide).
  if (ticketId.includes('\u0000') || hasLoneSurrogate(ticketId)) {
    throw new StoreError({ kind: 'invalid', adapter, message: 'ticketId must be well-formed Unicode without NUL characters' });
  }
}

/** Validates `after` (a non-negative integer) and `limit` (a positive integer). */
export function validateEventsQuery(adapter: string, query: EventsQuery | undefined): void {
  if (query === undefined || query === null) return;
  if (typeof query !== 'object') throw new StoreError({ kind: 'invalid', adapter, message: 'events options must be an object' });
  const { after, limit } = query;
  if (after !== undefined && (!Number.isSafeInteger(after) || after < 0)) {
    throw new StoreError({ kind: 'invalid', adapter, message: `after must be a non-negative integer, got ${String(after)}` });
  }
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
    throw new StoreError({ kind: 'invalid', adapter, message: `limit must be a positive integer, got ${String(limit)}` });
  }
}

/** Validates the shape of a commit request. */
export function validateCommitRequest(adapter: string, request: CommitRequest): void {
  if (typeof request !== 'object' || request === null) {
    throw new StoreError({ kind: 'invalid', adapter, message: 'commit needs a request object' });
  }
  validateTicketId(adapter, request.ticketId);
  const { expectedVersion } = request;
  if (expectedVersion !== null && (!Number.isSafeInteger(expectedVersion) || expectedVersion < 1)) {
    throw new StoreError({ kind: 'invalid', adapter, message: `expectedVersion must be null or a positive integer, got ${String(expectedVersion)}` });
  }
  if (!isPlainRecord(request.ticket)) {
    throw new StoreError({
      kind: 'invalid',
      adapter,
      message: 'ticket must be a plain JSON object (not an array, a class instance such as a Date, or an object with a toJSON of its own)',
    });
  }
  const { status } = request.ticket as { status?: unknown };
  if (typeof status === 'string' && status.length > MAX_STATUS_LENGTH) {
    throw new StoreError({ kind: 'invalid', adapter, message: `the ticket's status must be at most ${MAX_STATUS_LENGTH} characters (every store indexes it)` });
  }
  if (!Array.isArray(request.events)) {
    throw new StoreError({ kind: 'invalid', adapter, message: 'events must be an array' });
  }
  for (const event of request.events) {
    if (
      !isPlainRecord(event) ||
      !Object.hasOwn(event, 'type') ||
      !Object.hasOwn(event, 'at') ||
      typeof event.type !== 'string' ||
      typeof event.at !== 'string'
    ) {
      throw new StoreError({
        kind: 'invalid',
        adapter,
        message: 'each event must be a plain object with its own string type and ISO time in at (no toJSON of its own)',
      });
    }
  }
}

/** Longest ticket status a store accepts: statuses are indexed, and an index entry has a size limit (Postgres: 2,704 bytes). */
export const MAX_STATUS_LENGTH = 256;

/**
 * Whether a document or event is stored as itself: a plain object (not an array, not a class
 * instance — whose getters and `toJSON` would make the stored JSON differ from what the store
 * validates and indexes — and without a `toJSON` of its own, which would replace it). Nested
 * values may still have one (a `Date` in a slot, DESIGN §5).
 */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}
