import { EventEmitter } from 'eventemitter3';
import { didYouMean } from '../config/closest-name.js';
import { InvalidArgumentError } from '../errors/ticketflow-error.js';
import type { LLMUsage } from '../llm/llm.js';
import type { Action } from '../model/action.js';
import type { DecisionRecord, TicketView } from '../model/ticket.js';
import type { StoredTicketEvent, TicketEvent, TicketEventMap } from './ticket-event-map.js';
import { catchRejection } from '../util/thenable.js';

/** The payload of a hook that reports one event record: its data and the ticket id. */
export type EventHookPayload<Type extends keyof TicketEventMap> = { ticketId: string } & TicketEventMap[Type];

/** Payload of the `decision` hook: fires once per decided turn (O1). */
export interface DecisionHookEvent {
  ticketId: string;
  turn: number;
  decision: DecisionRecord;
  workflow: string | null;
  /** What the turn did: the final action once the turn is finished. */
  action: Action;
  provider: string;
  model: string;
  latencyMs: number;
  usage: LLMUsage;
}

/** Payload of the `turn.completed` hook: every committed turn, decided or degraded. */
export interface TurnCompletedHookEvent {
  ticketId: string;
  turn: number;
  messageId: string | null;
  reply: string;
  action: Action;
  ticket: TicketView;
  durationMs: number;
}

/** Payload of the `ticket.event` hook: every event record committed, in order. */
export interface TicketEventHookEvent {
  ticketId: string;
  event: TicketEvent | StoredTicketEvent;
}

/** Payload of the `listener.failed` hook: a listener threw or rejected (O3). */
export interface ListenerFailedHookEvent {
  hook: string;
  error: unknown;
}

/** Event records that are also hooks of their own, with the same name (and `ticket.recovered` for `execution.recovered`). */
const EVENT_HOOKS = [
  'turn.degraded',
  'execution.completed',
  'execution.failed',
  'execution.suspended',
  'execution.superseded',
  'execution.abandoned',
  'approval.requested',
  'approval.expired',
  'input.expired',
  'llm.circuit_opened',
  'llm.circuit_closed',
] as const satisfies readonly (keyof TicketEventMap)[];

type EventHookName = (typeof EVENT_HOOKS)[number];

/**
 * The agent's hooks, `noun.verb`: `decision`, `turn.completed`, `ticket.event` (each committed
 * event record), `ticket.recovered` (an interrupted execution was compensated),
 * `listener.failed`, and one hook per notable event record (`turn.degraded`,
 * `execution.completed`, `execution.failed`, `execution.suspended`, `approval.requested`,
 * `llm.circuit_opened`, …) whose payload is that event's data with the ticket id.
 */
export type AgentHookMap = { [Name in EventHookName]: [EventHookPayload<Name>] } & {
  decision: [DecisionHookEvent];
  'turn.completed': [TurnCompletedHookEvent];
  'ticket.recovered': [EventHookPayload<'execution.recovered'>];
  'ticket.event': [TicketEventHookEvent];
  'listener.failed': [ListenerFailedHookEvent];
};

/** Hook names. */
export type AgentHookName = keyof AgentHookMap;

/** Every hook name, for the check of `on` and `off` (a misspelt name would never fire). */
const HOOK_NAMES: ReadonlySet<string> = new Set<AgentHookName>([
  ...EVENT_HOOKS,
  'decision',
  'turn.completed',
  'ticket.recovered',
  'ticket.event',
  'listener.failed',
] satisfies readonly AgentHookName[]);

/** A listener of hook `name`. */
export type AgentHookListener<Name extends AgentHookName> = (...args: AgentHookMap[Name]) => unknown;

/** What a finished turn adds to its events for the `decision` and `turn.completed` hooks. */
export interface TurnSummary {
  turn: number;
  messageId: string | null;
  reply: string;
  action: Action;
  ticket: TicketView;
  durationMs: number;
}

/**
 * Hooks are observers (O3, O5): a listener that throws, rejects or takes long never breaks
 * or delays a turn. Hooks are emitted after the operation resolved (on the next turn of the
 * event loop), each listener isolated; a returned promise is not awaited; failures go to
 * `listener.failed` and the logger.
 */
export class AgentHooks {
  private readonly emitter = new EventEmitter();

  constructor(private readonly onListenerError: (hook: string, error: unknown) => void) {}

  /** @throws {InvalidArgumentError} for a name that is not a hook (naming the closest one) or a listener that is not a function. */
  on<Name extends AgentHookName>(name: Name, listener: AgentHookListener<Name>): () => void {
    checkListener(name, listener);
    this.emitter.on(name, listener as never);
    return () => this.emitter.off(name, listener as never);
  }

  /** @throws {InvalidArgumentError} as {@link AgentHooks.on}. */
  off<Name extends AgentHookName>(name: Name, listener: AgentHookListener<Name>): void {
    checkListener(name, listener);
    this.emitter.off(name, listener as never);
  }

  /** Schedules the hooks of committed events (and of the finished turn, if any), after the caller resumes. */
  notify(ticketId: string, events: readonly TicketEvent[], summary: TurnSummary | null): void {
    if (this.emitter.eventNames().length === 0 || events.length === 0) return;
    setImmediate(() => this.dispatch(ticketId, events, summary));
  }

  private dispatch(ticketId: string, events: readonly TicketEvent[], summary: TurnSummary | null): void {
    for (const event of events) {
      this.emit('ticket.event', { ticketId, event });
      if (event.type === 'decision.made' && summary) {
        const { data } = event;
        this.emit('decision', {
          ticketId,
          turn: data.turn,
          decision: { intent: data.intent, confidence: data.confidence, entities: data.entities },
          workflow: data.workflow,
          action: summary.action,
          provider: data.provider,
          model: data.model,
          latencyMs: data.latencyMs,
          usage: data.usage,
        });
      } else if (event.type === 'execution.recovered') {
        this.emit('ticket.recovered', { ticketId, ...event.data });
      } else if ((EVENT_HOOKS as readonly string[]).includes(event.type)) {
        this.emit(event.type as EventHookName, { ticketId, ...event.data } as never);
      }
    }
    if (summary) this.emit('turn.completed', { ticketId, ...summary });
  }

  private emit<Name extends AgentHookName>(name: Name, ...args: AgentHookMap[Name]): void {
    if (this.emitter.listenerCount(name) === 0) return;
    for (const listener of this.emitter.listeners(name) as ((...values: unknown[]) => unknown)[]) {
      try {
        catchRejection(listener(...args), (error) => this.reportFailure(name, error));
      } catch (error) {
        this.reportFailure(name, error);
      }
    }
  }

  private reportFailure(hook: string, error: unknown): void {
    try {
      this.onListenerError(hook, error);
    } catch {
      // the reporter itself must not break anything either
    }
    if (hook !== 'listener.failed') this.emit('listener.failed', { hook, error });
  }
}

function checkListener(name: unknown, listener: unknown): void {
  if (typeof name !== 'string' || !HOOK_NAMES.has(name)) {
    throw new InvalidArgumentError({
      argument: 'name',
      message: `${JSON.stringify(name)} is not a hook${typeof name === 'string' ? didYouMean(name, HOOK_NAMES) : ''} (hooks: ${[...HOOK_NAMES].join(', ')})`,
    });
  }
  if (typeof listener !== 'function')
    throw new InvalidArgumentError({ argument: 'listener', message: `the listener of ${JSON.stringify(name)} must be a function` });
}
