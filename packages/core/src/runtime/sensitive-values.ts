import type { TicketDoc } from '../model/ticket.js';
import { type SensitiveValue, sensitiveValuesOf } from '../policy/sensitive-values.js';
import type { Runtime } from './runtime.js';

export { holdsSensitive, maskJson, maskText, type SensitiveValue } from '../policy/sensitive-values.js';

/** The clear values of the ticket's sensitive slots with the agent's key (see `sensitiveValuesOf`). */
export function sensitiveValues(runtime: Runtime, ticket: TicketDoc): SensitiveValue[] {
  return sensitiveValuesOf(ticket, runtime.privacy);
}
