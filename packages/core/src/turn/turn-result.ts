import type { Action } from '../model/action.js';
import type { DecisionRecord, TicketView } from '../model/ticket.js';

/** What `agent.handle` resolves with. */
export interface TurnResult {
  ticketId: string;
  /** The text to show the customer. */
  reply: string;
  /** What the engine did (DESIGN §3). */
  action: Action;
  /** The LLM's decision, or null when it could not decide (fallback) or none was needed. */
  decision: DecisionRecord | null;
  /** The ticket after the turn. */
  ticket: TicketView;
  /** True when `messageId` was processed before and this is the recorded result (T7). */
  duplicate: boolean;
}

/** What `agent.approve` and `agent.reject` resolve with. */
export interface ApprovalResult {
  ticketId: string;
  reply: string;
  action: Action;
  ticket: TicketView;
}

/** What `agent.inspect` resolves with: the ticket and its full decision trace. */
export interface TicketInspection {
  ticket: TicketView | null;
  /** The whole event log, typed: `event.type` narrows `event.data`. */
  events: import('../events/ticket-event-map.js').StoredTicketEvent[];
}
