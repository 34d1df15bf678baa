import type { Runtime } from '../runtime/runtime.js';

/**
 * Erases a ticket (P3): the store removes the document, its events and every copy it keeps.
 * A turn in flight on it at that moment can never re-create it: its next commit carries the
 * erased life's incarnation and version and is refused, and the turn resolves with action
 * `erased` (an execution in flight undoes its steps first).
 */
export async function eraseTicket(runtime: Runtime, ticketId: string): Promise<void> {
  runtime.claims.forget(ticketId);
  await runtime.store.delete(ticketId);
}
