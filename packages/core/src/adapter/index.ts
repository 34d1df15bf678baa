/**
 * `@ticketflow/core/adapter`: what store and LLM adapter authors need, in one place, so that
 * every adapter validates, encodes, scrubs and times out the same way. App developers do not
 * need this entry.
 */
export { checkOptions, parseOptions } from '../config/check-options.js';
export { closestName } from '../config/closest-name.js';
export { validateCommitRequest, validateEventsQuery, validateTicketId } from '../store/validate-store-arguments.js';
export { decodeStoredObject, encodeStoredJson } from '../store/stored-json.js';
export { sanitizeError } from '../errors/sanitize-error.js';
export { redactSecrets } from '../errors/redact.js';
export { CallDeadline } from '../llm/call-deadline.js';
export { BUSY_STATUSES, ticketIndexOf } from '../store/ticket-index.js';
