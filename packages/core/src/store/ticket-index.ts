import type { TicketIndex } from './ticket-store.js';

/**
 * What a store indexes of a ticket document (see {@link TicketIndex}): the one place that
 * reads the document's shape for adapters. Documents written before incarnations existed
 * get a deterministic one from their creation time, so old rows keep committing.
 */
export function ticketIndexOf(ticket: unknown): TicketIndex {
  const document = (typeof ticket === 'object' && ticket !== null ? ticket : {}) as {
    status?: unknown;
    updatedAt?: unknown;
    createdAt?: unknown;
    incarnation?: unknown;
    execution?: { leaseExpiresAt?: unknown } | null;
  };
  const lease = document.execution?.leaseExpiresAt;
  return {
    status: typeof document.status === 'string' ? document.status : 'open',
    updatedAt: typeof document.updatedAt === 'string' ? document.updatedAt : new Date(0).toISOString(),
    claimExpiresAt: typeof lease === 'number' && Number.isFinite(lease) ? new Date(lease).toISOString() : null,
    incarnation: typeof document.incarnation === 'string' ? document.incarnation : `legacy:${typeof document.createdAt === 'string' ? document.createdAt : ''}`,
  };
}

/** Statuses a ticket is busy in: `purge` never deletes it then. */
export const BUSY_STATUSES: readonly string[] = ['executing', 'awaiting_approval', 'awaiting_input'];
