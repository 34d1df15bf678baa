import type { Registry } from '../model/registry.js';
import type { TicketDoc } from '../model/ticket.js';
import type { TicketEvent } from '../store/ticket-event.js';

/** Everything the pure policy needs besides the ticket and the decision: no clock, no I/O. */
export interface PolicyContext {
  registry: Registry;
  /** Decisions below it do not establish an intent (D3). */
  confidenceThreshold: number;
  /** The number of the turn being planned. */
  turn: number;
  /** ISO time stamped on events and values. */
  at: string;
}

/** The ticket being planned and the events explaining each change (O2). */
export interface Draft {
  ticket: TicketDoc;
  events: TicketEvent[];
}

/** Appends an event to a draft. */
export function record(draft: Draft, at: string, type: string, data: Record<string, unknown>): void {
  draft.events.push({ type, at, data });
}

/** Known slot values by name. */
export function slotValues(ticket: TicketDoc): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, slot] of Object.entries(ticket.slots)) values[name] = slot.value;
  return values;
}
