import { isoNow } from '../execute/execution-deps.js';
import { TicketStateError } from '../errors/ticketflow-error.js';
import { transitionStatus } from '../lifecycle/ticket-lifecycle.js';
import type { TicketDoc, TicketView } from '../model/ticket.js';
import type { TicketEvent } from '../store/ticket-event.js';
import type { LoadedTicket } from '../store/ticket-store.js';
import type { ApprovalDecision } from './decide-approval.js';
import { checkDecision } from './decide-approval.js';
import type { Engine } from './engine.js';
import { toView } from './ticket-document.js';

/**
 * Hands a `needs_human` ticket back to the agent once a person has repaired what a failed
 * compensation left behind: the status returns to `collecting`, recorded as
 * `ticket.released` with who did it. Resolves null when another writer got there first.
 * @throws {TicketStateError} when the ticket does not need a human.
 */
export async function releaseTicket(engine: Engine, loaded: LoadedTicket, decision: ApprovalDecision): Promise<{ ticket: TicketView; events: TicketEvent[] } | null> {
  const by = checkDecision(decision);
  const ticket = loaded.ticket;
  if (ticket.status !== 'needs_human') {
    throw new TicketStateError({ message: `ticket ${JSON.stringify(ticket.id)} does not need a human (status ${ticket.status})`, status: ticket.status });
  }
  const at = isoNow(engine.deps);
  const status = transitionStatus(ticket.status, { type: 'release' });
  const next: TicketDoc = { ...ticket, updatedAt: at, status, pending: null };
  const events: TicketEvent[] = [
    { type: 'ticket.released', at, data: { by, ...(decision.note !== undefined ? { note: decision.note } : {}) } },
    { type: 'status.changed', at, data: { from: ticket.status, to: status, cause: 'release' } },
  ];
  const result = await engine.options.store.commit({ ticketId: ticket.id, expectedVersion: loaded.version, ticket: next, events });
  return result.ok ? { ticket: toView(next, result.version), events } : null;
}
