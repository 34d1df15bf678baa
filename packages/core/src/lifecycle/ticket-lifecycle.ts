import { setup, transition } from 'xstate';
import type { TicketStatus } from '../model/ticket.js';

/** Statuses a conversation turn may start from (no execution in flight). */
const settledStatuses = ['open', 'collecting', 'awaiting_confirmation', 'resolved', 'escalated', 'closed'] as const;

/** The events that move a ticket through its lifecycle. */
export type LifecycleEvent =
  | { type: 'ask' }
  | { type: 'ask_confirmation' }
  | { type: 'escalate' }
  | { type: 'start_execution' }
  | { type: 'await_approval' }
  | { type: 'claim_for_decision' }
  | { type: 'complete'; outcome: 'resolved' | 'escalated' }
  | { type: 'roll_back'; to: TicketStatus }
  | { type: 'compensation_failed' }
  | { type: 'close' }
  | { type: 'release' };

const conversationTransitions = {
  ask: { target: 'collecting' },
  ask_confirmation: { target: 'awaiting_confirmation' },
  escalate: { target: 'escalated' },
  start_execution: { target: 'executing' },
} as const;

/**
 * The ticket lifecycle. Status changes go through it only (`transitionStatus`), so an
 * impossible change (e.g. `resolved` straight to `awaiting_approval`) is refused.
 */
export const ticketLifecycle = setup({
  types: { events: {} as LifecycleEvent },
  guards: {
    outcomeIs: ({ event }, outcome: 'resolved' | 'escalated') => event.type === 'complete' && event.outcome === outcome,
    rollsBackTo: ({ event }, status: TicketStatus) => event.type === 'roll_back' && event.to === status,
  },
}).createMachine({
  id: 'ticket',
  initial: 'open',
  states: {
    open: { on: conversationTransitions },
    collecting: { on: conversationTransitions },
    awaiting_confirmation: { on: conversationTransitions },
    resolved: { on: conversationTransitions },
    escalated: { on: conversationTransitions },
    closed: { on: conversationTransitions },
    executing: {
      on: {
        await_approval: { target: 'awaiting_approval' },
        complete: [
          { guard: { type: 'outcomeIs', params: 'resolved' }, target: 'resolved' },
          { guard: { type: 'outcomeIs', params: 'escalated' }, target: 'escalated' },
        ],
        roll_back: settledStatuses.map((status) => ({ guard: { type: 'rollsBackTo' as const, params: status }, target: status })),
        compensation_failed: { target: 'needs_human' },
        close: { target: 'closed' },
      },
    },
    awaiting_approval: { on: { claim_for_decision: { target: 'executing' } } },
    needs_human: { on: { release: { target: 'collecting' } } },
  },
});

/** Raised when the engine asks for a transition the lifecycle does not allow: a bug, never user input. */
export class LifecycleError extends Error {
  constructor(from: TicketStatus, event: LifecycleEvent) {
    super(`ticket lifecycle: "${event.type}" is not allowed in status "${from}"`);
    this.name = 'LifecycleError';
  }
}

const cache = new Map<string, TicketStatus>();

/**
 * The status after `event`, computed by the xstate machine (memoised: the machine is pure).
 * @throws {LifecycleError} when the machine does not accept the event in `from`.
 */
export function transitionStatus(from: TicketStatus, event: LifecycleEvent): TicketStatus {
  const key = `${from}|${event.type}|${'outcome' in event ? event.outcome : ''}|${'to' in event ? event.to : ''}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const snapshot = ticketLifecycle.resolveState({ value: from });
  if (!snapshot.can(event)) throw new LifecycleError(from, event);
  const [next] = transition(ticketLifecycle, snapshot, event);
  const to = next.value as TicketStatus;
  cache.set(key, to);
  return to;
}
