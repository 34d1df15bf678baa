/**
 * The store conformance suite (DESIGN §5), one file per contract area under
 * `store-conformance/`, as LangGraph's checkpoint-validation splits its suite per method.
 */
export { runTicketStoreConformance } from './store-conformance/run-ticket-store-conformance.js';
export { HOSTILE_TICKET_IDS } from './store-conformance/hostile-values.js';
export type { TicketStoreCapabilities, TicketStoreConformanceOptions } from './store-conformance/conformance-context.js';
