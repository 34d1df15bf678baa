import type { EncodedCommit } from './ticket-store-driver.js';
import { encodeStoredJsonOf } from './stored-json.js';
import { ticketIndexOf } from './ticket-index.js';
import type { CommitRequest } from './ticket-store.js';
import { validateCommitRequest } from './validate-store-arguments.js';

/**
 * Validates a commit request and encodes it for a driver: the document and each event as
 * JSON text (events without `seq`, which the store assigns) under the one storage rule of
 * `encodeStoredJson`, plus the fields to index (`ticketIndexOf`).
 * @throws {StoreError} `invalid`, before any backend is touched.
 */
export function encodeCommitRequest(adapter: string, request: CommitRequest): EncodedCommit {
  validateCommitRequest(adapter, request);
  const document = encodeStoredJsonOf(adapter, request.ticket, () => 'the ticket');
  const events = request.events.map((event, index) => {
    const { seq: _assignedByTheStore, ...rest } = event as typeof event & { seq?: unknown };
    return encodeStoredJsonOf(adapter, rest, () => `event ${index} (${JSON.stringify(event.type.slice(0, 60))})`);
  });
  return { ticketId: request.ticketId, expectedVersion: request.expectedVersion, document, events, index: ticketIndexOf(request.ticket) };
}
