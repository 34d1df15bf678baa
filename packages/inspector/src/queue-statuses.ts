/**
 * The statuses the queues show, in the order a person should look at them: first the
 * tickets that wait for a person (`needs_human`, `awaiting_approval`), then those waiting for
 * the customer or in flight, then the settled ones. A status the core adds later is still
 * reachable through `GET api/tickets` without a status filter.
 */
export const QUEUE_STATUSES = [
  'needs_human',
  'awaiting_approval',
  'awaiting_input',
  'executing',
  'awaiting_confirmation',
  'collecting',
  'open',
  'escalated',
  'resolved',
  'closed',
] as const;

/** Statuses that wait for a person: shown on top and marked. */
export const ATTENTION_STATUSES: readonly string[] = ['needs_human', 'awaiting_approval'];
