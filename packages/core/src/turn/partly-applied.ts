import type { TicketWriter } from '../execute/ticket-writer.js';
import { StoreError } from '../store/store-error.js';

/**
 * A store failure as the caller of `handle`, `approve` or `reject` must read it. The store's
 * own `outcome` speaks of its last call only: when an earlier write of this operation had
 * landed (an execution's claim, a journal step — tools may have run), the operation was partly
 * applied, so its outcome is `unknown`, never `not_applied` (DESIGN §3: retry with the same
 * `messageId`; recovery finishes or undoes the execution). Anything else passes unchanged.
 */
export function asOperationFailure(error: unknown, writer: TicketWriter): unknown {
  if (!StoreError.isInstance(error) || error.outcome === 'unknown' || writer.committedEvents.length === 0) return error;
  return new StoreError({
    kind: error.kind,
    adapter: error.adapter,
    retryable: error.retryable,
    outcome: 'unknown',
    cause: error,
    message: `${error.message} (after this operation had already changed the ticket: retry with the same messageId; recovery finishes or undoes what it started)`,
  });
}
