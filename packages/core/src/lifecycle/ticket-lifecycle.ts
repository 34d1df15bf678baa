import { setup, transition } from 'xstate';
import { TICKET_STATUSES, type TicketStatus } from '../model/ticket.js';

/** Statuses a conversation turn may plan from (no execution in flight or parked). */
export const SETTLED_STATUSES = ['open', 'collecting', 'awaiting_confirmation', 'resolved', 'escalated', 'closed'] as const;

/** A status a conversation turn may plan from. */
export type SettledStatus = (typeof SETTLED_STATUSES)[number];

/** The events that move a ticket through its lifecycle. */
export type LifecycleEvent =
  | { type: 'ask' }
  | { type: 'ask_confirmation' }
  | { type: 'escalate' }
  | { type: 'start_execution' }
  | { type: 'await_approval' }
  | { type: 'await_input' }
  | { type: 'claim' }
  | { type: 'complete'; outcome: 'resolved' | 'escalated' }
  | { type: 'roll_back'; to: TicketStatus }
  | { type: 'compensation_failed' }
  | { type: 'hand_to_human' }
  | { type: 'close' }
  | { type: 'reopen' }
  | { type: 'release' };

const conversation = {
  ask: { target: 'collecting' },
  ask_confirmation: { target: 'awaiting_confirmation' },
  escalate: { target: 'escalated' },
  start_execution: { target: 'executing' },
} as const;

/**
 * The xstate machine of the ticket lifecycle: the single source of status transitions. Every
 * status change of the engine goes through {@link changeStatus}, which records its
 * `status.changed` event, so none can be silent (O2); an impossible change (e.g. `resolved`
 * straight to `awaiting_approval`) is refused.
 */
const lifecycleMachine = setup({
  types: { events: {} as LifecycleEvent },
  guards: {
    outcomeIs: ({ event }, outcome: 'resolved' | 'escalated') => event.type === 'complete' && event.outcome === outcome,
    rollsBackTo: ({ event }, status: TicketStatus) => event.type === 'roll_back' && event.to === status,
  },
}).createMachine({
  id: 'ticket',
  initial: 'open',
  states: {
    open: { on: conversation },
    collecting: { on: conversation },
    awaiting_confirmation: { on: conversation },
    resolved: { on: conversation },
    escalated: { on: conversation },
    // A new message reopens a closed conversation (its turn then moves on from `open`).
    closed: { on: { ...conversation, reopen: { target: 'open' } } },
    executing: {
      on: {
        await_approval: { target: 'awaiting_approval' },
        await_input: { target: 'awaiting_input' },
        complete: [
          { guard: { type: 'outcomeIs', params: 'resolved' }, target: 'resolved' },
          { guard: { type: 'outcomeIs', params: 'escalated' }, target: 'escalated' },
        ],
        roll_back: SETTLED_STATUSES.map((status) => ({ guard: { type: 'rollsBackTo' as const, params: status }, target: status })),
        compensation_failed: { target: 'needs_human' },
        hand_to_human: { target: 'needs_human' },
        close: { target: 'closed' },
      },
    },
    awaiting_approval: { on: { claim: { target: 'executing' } } },
    awaiting_input: { on: { claim: { target: 'executing' } } },
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
  const snapshot = lifecycleMachine.resolveState({ value: from });
  if (!snapshot.can(event)) throw new LifecycleError(from, event);
  const [next] = transition(lifecycleMachine, snapshot, event);
  const to = next.value as TicketStatus;
  cache.set(key, to);
  return to;
}

/** True for statuses a conversation turn may plan from. */
export function isSettled(status: TicketStatus): status is SettledStatus {
  return (SETTLED_STATUSES as readonly string[]).includes(status);
}

/** One allowed status change: from a status, on an event, to the next status. */
export interface LifecycleTransition {
  readonly from: TicketStatus;
  readonly event: LifecycleEvent;
  readonly to: TicketStatus;
}

/**
 * A read-only view of the ticket lifecycle, for tooling, diagrams and tests. Its type does not
 * mention xstate, so importing `@ticketflow/core` never type-checks xstate's declarations
 * (which fail under `exactOptionalPropertyTypes` with `skipLibCheck: false`).
 */
export interface TicketLifecycle {
  /** The status of a new ticket. */
  readonly initial: TicketStatus;
  /** Every status a ticket can have. */
  readonly statuses: readonly TicketStatus[];
  /** Every status change the lifecycle allows. */
  readonly transitions: readonly LifecycleTransition[];
  /** The status after `event` in `from`, or `undefined` when the lifecycle refuses it. */
  next(from: TicketStatus, event: LifecycleEvent): TicketStatus | undefined;
  /**
   * The xstate machine itself (typed `unknown` to keep xstate's declarations out of this
   * package's): `ticketLifecycle.machine as AnyStateMachine` for xstate's own tools.
   */
  readonly machine: unknown;
}

/** Every event the engine sends, with each `complete` outcome and `roll_back` target. */
function everyEvent(): LifecycleEvent[] {
  const plain = ['ask', 'ask_confirmation', 'escalate', 'start_execution', 'await_approval', 'await_input', 'claim'] as const;
  const more = ['compensation_failed', 'hand_to_human', 'close', 'reopen', 'release'] as const;
  return [
    ...[...plain, ...more].map((type) => ({ type })),
    { type: 'complete', outcome: 'resolved' },
    { type: 'complete', outcome: 'escalated' },
    ...TICKET_STATUSES.map((to) => ({ type: 'roll_back' as const, to })),
  ];
}

function nextStatus(from: TicketStatus, event: LifecycleEvent): TicketStatus | undefined {
  if (!(TICKET_STATUSES as readonly unknown[]).includes(from) || typeof event?.type !== 'string') return undefined;
  try {
    return transitionStatus(from, event);
  } catch (error) {
    if (error instanceof LifecycleError) return undefined;
    throw error;
  }
}

let transitions: readonly LifecycleTransition[] | undefined;

/** The ticket lifecycle (see {@link TicketLifecycle}); statuses change only through it. */
export const ticketLifecycle: TicketLifecycle = Object.freeze({
  initial: 'open',
  statuses: Object.freeze([...TICKET_STATUSES]),
  get transitions() {
    transitions ??= Object.freeze(
      TICKET_STATUSES.flatMap((from) =>
        everyEvent().flatMap((event) => {
          const to = nextStatus(from, event);
          return to === undefined ? [] : [Object.freeze({ from, event: Object.freeze(event), to })];
        }),
      ),
    );
    return transitions;
  },
  next: nextStatus,
  machine: lifecycleMachine,
});
