export { HOSTILE_TICKET_IDS, runTicketStoreConformance } from './ticket-store-conformance.js';
export type { TicketStoreCapabilities, TicketStoreConformanceOptions } from './ticket-store-conformance.js';
