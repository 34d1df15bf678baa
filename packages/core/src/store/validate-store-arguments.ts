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
  if (typeof request.ticket !== 'object' || request.ticket === null || Array.isArray(request.ticket) || hasOwnJson(request.ticket)) {
    throw new StoreError({
      kind: 'invalid',
      adapter,
      message: "ticket must be a JSON object (one whose own toJSON, like a Date's, would store something else is refused)",
    });
  }
  if (!Array.isArray(request.events)) {
    throw new StoreError({ kind: 'invalid', adapter, message: 'events must be an array' });
  }
  for (const event of request.events) {
    if (typeof event !== 'object' || event === null || typeof event.type !== 'string' || typeof event.at !== 'string' || hasOwnJson(event)) {
      throw new StoreError({ kind: 'invalid', adapter, message: 'each event needs a string type and an ISO time in at (and no toJSON of its own)' });
    }
  }
}

/**
 * Whether a document or event would be stored as something else than itself: a `toJSON` of
 * its own (or of its class, a `Date`) replaces the whole object, so what comes back would not
 * be a JSON object with the fields the store indexes. Nested values may still have one (DESIGN §5).
 */
function hasOwnJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}
