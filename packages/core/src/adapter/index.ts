/**
 * `@ticketflow/core/adapter`: what store and LLM adapter authors need, in one place, so that
 * every adapter validates, encodes, scrubs and times out the same way. App developers do not
 * need this entry. The guide is docs/adapter-authors.md.
 */

// A store in one class: the wrapper and the backend-specific part it wraps.
export { GuardedTicketStore } from '../store/guarded-ticket-store.js';
export type { EncodedCommit, StoredEventRow, StoredTicketRow, StoreOperation, TicketStoreDriver } from '../store/ticket-store-driver.js';

// Argument validation (StoreError `invalid`, before the backend is touched).
export { validateCommitRequest, validateEventsQuery, validateTicketId } from '../store/validate-store-arguments.js';
export { LIST_LIMIT, validateListQuery, validatePurgeOptions } from '../store/validate-fleet-arguments.js';
export type { ResolvedListQuery, ResolvedPurgeOptions } from '../store/validate-fleet-arguments.js';

// The stored-JSON codec and its one rule for hostile values.
export { encodeCommitRequest } from '../store/encode-commit.js';
export { decodeStoredObject, encodeStoredJson } from '../store/stored-json.js';
export { findUnstorableValue, unstorableText } from '../store/unstorable-value.js';
export type { UnstorableValue } from '../store/unstorable-value.js';

// What to index, in which order, and the list cursor.
export { BUSY_STATUSES, canonicalTime, compareCodePoints, compareTicketOrder, ticketIndexOf } from '../store/ticket-index.js';
export { decodeListCursor, encodeListCursor, mergeTicketLists, pageOfTickets } from '../store/list-cursor.js';
export type { ListPosition } from '../store/list-cursor.js';

// The contract's types and error.
export { StoreError } from '../store/store-error.js';
export type { StoreErrorKind, StoreErrorOptions, StoreErrorOutcome } from '../store/store-error.js';
export type { StoredEventRecord, StoredTicketEvent, TicketEvent, TicketEventRecord } from '../store/ticket-event.js';
export type {
  CommitRequest,
  CommitResult,
  EventsQuery,
  ListQuery,
  LoadedTicket,
  PurgeOptions,
  TicketIndex,
  TicketPage,
  TicketStore,
  TicketSummary,
} from '../store/ticket-store.js';

// Options, secrets, deadlines.
export { ConfigurationError } from '../errors/ticketflow-error.js';
export { checkOptions, parseOptions } from '../config/check-options.js';
export type { CheckOptionsRules } from '../config/check-options.js';
export { closestName } from '../config/closest-name.js';
export { sanitizeError } from '../errors/sanitize-error.js';
export { redactSecrets, secretScrubber } from '../errors/redact.js';
export type { ScrubOptions, SecretList } from '../errors/redact.js';
export { MIN_SECRET_LENGTH, secretVariants } from '../errors/secret-variants.js';
export { secretsOfHeaders } from '../errors/secrets-of-headers.js';
export { secretsOfUrl, stripUrlCredentials } from '../errors/secrets-of-url.js';
export { httpCredentials } from '../errors/http-credentials.js';
export type { HttpCredentials } from '../errors/http-credentials.js';
export { CallDeadline } from '../llm/call-deadline.js';
export { withDeadline } from '../util/deadline.js';
export type { Deadline, DeadlineReason } from '../util/deadline.js';
