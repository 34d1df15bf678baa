import { readTicket } from '../document/ticket-document.js';
import type { Runtime } from '../runtime/runtime.js';
import { recoverExecution } from '../turn/recover-execution.js';

/**
 * Erases a ticket (P3): the store removes the document, its events and every copy it keeps.
 * A turn in flight on it at that moment can never re-create it: its next commit carries the
 * erased life's incarnation and version and is refused, and the turn resolves with action
 * `erased` (an execution in flight in this process undoes its steps first).
 *
 * The journal of an unfinished execution is the only record of the calls it started (E4), so
 * an execution no operation of this process is running — another worker's, alive or stopped —
 * is taken over and recovered first: its started calls are compensated, then the ticket is
 * erased. A live worker whose claim was taken undoes its calls again when its next write is
 * refused (compensations are idempotent).
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
    if (ticket?.status !== 'executing' || !ticket.execution || ticket.execution.leaseExpiresAt === null) return;
    if (await recoverExecution(runtime, { ticket, version: stored.version }, null, undefined)) return;
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
