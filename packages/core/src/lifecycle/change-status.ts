import { type Draft, record } from '../events/draft.js';
import { type LifecycleEvent, transitionStatus } from './ticket-lifecycle.js';

/**
 * Moves the draft's ticket through the lifecycle machine and records `status.changed` with
 * its cause: the only way the engine changes a status, so no change can be silent (O2).
 * A transition to the same status records nothing.
 * @throws {LifecycleError} for a transition the machine does not allow (an engine bug).
 */
export function changeStatus(draft: Draft, event: LifecycleEvent, cause: string = event.type): void {
  const from = draft.ticket.status;
  const to = transitionStatus(from, event);
  if (to === from) return;
  draft.ticket.status = to;
  record(draft, 'status.changed', { from, to, cause });
}
