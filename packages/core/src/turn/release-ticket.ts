import { toView } from '../document/ticket-document.js';
import { TicketStateError } from '../errors/ticketflow-error.js';
import { type Draft, record } from '../events/draft.js';
import type { OperationObserver } from '../events/instrumentation.js';
import { ClaimLostError } from '../execute/execution-errors.js';
import { TicketWriter } from '../execute/ticket-writer.js';
import { changeStatus } from '../lifecycle/change-status.js';
import type { TicketView } from '../model/ticket.js';
import type { Runtime } from '../runtime/runtime.js';
import { StoreError } from '../store/store-error.js';
import { isoTime } from '../util/iso-time.js';
import { type ApprovalDecision, checkDecision, recordedDecision } from './decide-approval.js';
import { loadSettled } from './load-settled.js';

/**
 * Hands a `needs_human` ticket back to the agent once a person has repaired what a failed
 * compensation left behind (or followed up an expired approval): the status returns to
 * `collecting`, recorded as `ticket.released` with who did it.
 * @throws {TicketStateError} when the ticket does not exist or does not need a human.
 */
export async function releaseTicket(
  runtime: Runtime,
  ticketId: string,
  decision: ApprovalDecision,
  observer: OperationObserver | undefined,
): Promise<TicketView> {
  const by = checkDecision(decision);
  for (let attempt = 0; ; attempt += 1) {
    const loaded = await loadSettled(runtime, ticketId, observer);
    if (!loaded) throw new TicketStateError({ message: `ticket ${JSON.stringify(ticketId.slice(0, 80))} does not exist`, status: null });
    const { ticket } = loaded;
    if (ticket.status !== 'needs_human')
      throw new TicketStateError({ message: `ticket ${JSON.stringify(ticket.id)} does not need a human (status ${ticket.status})`, status: ticket.status });
    const at = isoTime(runtime.settings.now());
    const draft: Draft = { ticket: { ...ticket, updatedAt: at, pending: null, clarification: null, execution: null }, events: [], at };
    record(draft, 'ticket.released', recordedDecision(runtime, ticket, by, decision.note));
    changeStatus(draft, { type: 'release' });
    const writer = new TicketWriter(runtime.store, ticket, loaded.version, runtime.settings.elapsed);
    try {
      await writer.commit(draft.ticket, draft.events);
      runtime.hooks.notify(ticketId, writer.committedEvents, null);
      observer?.committed?.(writer.committedEvents);
      return toView(writer.ticket, writer.version!);
    } catch (error) {
      if (!(error instanceof ClaimLostError)) throw error;
      observer?.event?.('conflict', { attempt: attempt + 1 });
      if (attempt >= runtime.settings.maxConflictRetries)
        throw new StoreError({ kind: 'conflict', adapter: 'core', outcome: 'not_applied', message: 'ticket stayed contended; retry later' });
    }
  }
}
