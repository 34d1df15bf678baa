import { StoreError } from './store-error.js';
import { canonicalTime, compareTicketOrder } from './ticket-index.js';
import type { TicketPage, TicketSummary } from './ticket-store.js';
import { unstorableText } from './unstorable-value.js';

/** A position in the order of {@link TicketStore.list}: after this ticket. */
export interface ListPosition {
  updatedAt: string;
  ticketId: string;
}

const CURSOR_TAG = 'tf1';

/**
 * The opaque cursor for the page that follows `position` (a keyset: the `updatedAt` and
 * ticket id of the last ticket returned), as every ticketflow store writes it.
 */
export function encodeListCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([CURSOR_TAG, position.updatedAt, position.ticketId]), 'utf8').toString('base64url');
}

/**
 * Reads a cursor written by {@link encodeListCursor}.
 * @throws {StoreError} `invalid` when it is not one.
 */
export function decodeListCursor(adapter: string, cursor: string): ListPosition {
  let parts: unknown;
  try {
    parts = /^[A-Za-z0-9_-]+$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    parts = undefined;
  }
  if (Array.isArray(parts) && parts.length === 3 && parts[0] === CURSOR_TAG && typeof parts[1] === 'string' && typeof parts[2] === 'string') {
    const updatedAt = canonicalTime(parts[1]);
    const ticketId = parts[2];
    if (updatedAt === parts[1] && ticketId.length > 0 && unstorableText(ticketId) === undefined) return { updatedAt, ticketId };
  }
  throw new StoreError({
    kind: 'invalid',
    adapter,
    message: 'cursor is not one this store returned: pass the cursor of the previous page unchanged, or none for the first page',
  });
}

/**
 * Builds a page from up to `limit + 1` rows in list order: the extra row only says that
 * there is more, and the cursor points after the last row kept.
 */
export function pageOfTickets(rows: readonly TicketSummary[], limit: number): TicketPage {
  if (rows.length <= limit) return { tickets: [...rows], cursor: null };
  const tickets = rows.slice(0, limit);
  const last = tickets[tickets.length - 1]!;
  return { tickets, cursor: encodeListCursor(last) };
}

/**
 * Merges lists that are each in list order (e.g. one query per status) into one, in list
 * order, keeping the first `limit + 1` rows: what a driver's `list` returns.
 */
export function mergeTicketLists(lists: readonly (readonly TicketSummary[])[], limit: number): TicketSummary[] {
  return lists
    .flat()
    .sort(compareTicketOrder)
    .slice(0, limit + 1);
}
