import { readTicket } from '../document/ticket-document.js';
import type { Runtime } from '../runtime/runtime.js';
import { abandonExecution } from '../execute/abandon-execution.js';
import { ClaimLostError } from '../execute/execution-errors.js';
import { TicketWriter } from '../execute/ticket-writer.js';
import type { LoadedTicket } from '../store/ticket-store.js';
import { recoverExecution } from '../turn/recover-execution.js';
import { isoTime } from '../util/iso-time.js';

/**
 * Erases a ticket (P3): the store removes the document, its events and every copy it keeps.
 * A turn in flight on it at that moment can never re-create it: its next commit carries the
 * erased life's incarnation and version and is refused, and the turn resolves with action
 * `erased` (an execution in flight in this process undoes its steps first).
 *
 * The journal of an unfinished execution is the only record of the calls it made, so it is
 * settled first: an execution no operation of this process is running — another worker's,
 * alive or stopped — is taken over and recovered (its started calls compensated, E4); a
 * procedure waiting for the customer or for an approval is left as its `onAbandon` declares (E6). A live worker
 * whose claim was taken undoes its calls again when its next write is refused (compensations
 * are idempotent).
 *
 * @param runningHere whether an operation of this process holds the ticket now
 */
export async function eraseTicket(runtime: Runtime, ticketId: string, runningHere: boolean): Promise<void> {
  runtime.claims.forget(ticketId);
  if (!runningHere) await settleExecution(runtime, ticketId);
  runtime.claims.forget(ticketId);
  await runtime.store.delete(ticketId);
}

/** Recovers the ticket's unfinished execution, if it has one; a conflict (another worker committed first) looks again. */
async function settleExecution(runtime: Runtime, ticketId: string): Promise<void> {
  for (let attempt = 0; attempt <= runtime.settings.maxConflictRetries; attempt++) {
    const stored = await runtime.store.load(ticketId);
    if (!stored) return;
    const ticket = readableTicket(stored.ticket, ticketId);
    if ((ticket?.status === 'awaiting_input' && ticket.execution?.awaiting) || (ticket?.status === 'awaiting_approval' && ticket.execution)) {
      if (await leaveProcedure(runtime, { ticket, version: stored.version })) return;
      continue;
    }
    if (ticket?.status !== 'executing' || !ticket.execution || ticket.execution.leaseExpiresAt === null) return;
    if (await recoverExecution(runtime, { ticket, version: stored.version }, null, undefined)) return;
  }
}

/** Leaves the waiting procedure as its workflow declares (undoing its calls for `onAbandon: 'compensate'`); false when another turn committed first. */
async function leaveProcedure(runtime: Runtime, loaded: LoadedTicket): Promise<boolean> {
  const writer = new TicketWriter(runtime.store, loaded.ticket, loaded.version, runtime.settings.elapsed);
  const at = isoTime(runtime.settings.now());
  try {
    const left = await abandonExecution(runtime, writer, { ticket: { ...loaded.ticket, updatedAt: at }, events: [], at }, 'erased');
    await writer.write(() => left.ticket, left.events);
    return true;
  } catch (error) {
    if (error instanceof ClaimLostError) return false;
    throw error;
  }
}

/** The stored ticket, or null when it cannot be read (a corrupt ticket is erased as it is). */
function readableTicket(stored: unknown, ticketId: string) {
  try {
    return readTicket(stored, ticketId);
  } catch {
    return null;
  }
}
