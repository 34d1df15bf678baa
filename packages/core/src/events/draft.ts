import type { TicketDoc } from '../model/ticket.js';
import type { TicketEvent, TicketEventMap, TicketEventType } from './ticket-event-map.js';

/**
 * A ticket being changed and the events that explain each change (O2), committed together.
 * `ticket` is the draft's own shallow copy: steps change it in place.
 */
export interface Draft {
  ticket: TicketDoc;
  events: TicketEvent[];
  /** ISO time stamped on the events. */
  at: string;
}

/** Appends a typed event to a draft. */
export function record<Type extends TicketEventType>(draft: Draft, type: Type, data: TicketEventMap[Type]): void {
  draft.events.push({ type, at: draft.at, data } as TicketEvent);
}

/** A typed event record (for events built outside a draft). */
export function eventOf<Type extends TicketEventType>(type: Type, at: string, data: TicketEventMap[Type]): TicketEvent {
  return { type, at, data } as TicketEvent;
}
