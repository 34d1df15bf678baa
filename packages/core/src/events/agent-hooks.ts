import { EventEmitter } from 'eventemitter3';
import type { Action } from '../model/action.js';
import type { DecisionRecord, TicketView } from '../model/ticket.js';
import type { LLMUsage } from '../llm/llm.js';
import type { StoredTicketEvent, TicketEvent } from '../store/ticket-event.js';

/** Payload of the `decision` hook: fires once per decided turn (O1). */
export interface DecisionHookEvent {
  ticketId: string;
  turn: number;
  decision: DecisionRecord;
  workflow: string | null;
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

/**
 * The agent's hooks, `noun.verb`: `decision`, `turn.completed`, `turn.degraded` (every LLM
 * failed), `execution.completed`, `execution.failed`, `approval.requested`,
 * `ticket.recovered` (an interrupted execution was compensated), `ticket.event` (each
 * committed event record), `listener.failed`.
 */
export interface AgentHookMap {
  decision: [DecisionHookEvent];
  'turn.completed': [TurnCompletedHookEvent];
  'turn.degraded': [{ ticketId: string; turn: number; reason: string; attempts: number }];
  'execution.completed': [{ ticketId: string; workflow: string; outcome: string }];
  'execution.failed': [{ ticketId: string; workflow: string; error: string; compensated: boolean }];
  'approval.requested': [{ ticketId: string; workflow: string; tool: string; input: unknown }];
  'ticket.recovered': [{ ticketId: string; workflow: string; compensated: boolean }];
  'ticket.event': [TicketEventHookEvent];
  'listener.failed': [ListenerFailedHookEvent];
}

/** Hook names. */
export type AgentHookName = keyof AgentHookMap;

/** A listener of hook `name`. */
export type AgentHookListener<Name extends AgentHookName> = (...args: AgentHookMap[Name]) => unknown;

/**
 * Hooks are observers (O3): a listener that throws, rejects or takes long never breaks
 * or delays a turn. Listeners run synchronously after the commit, each isolated; a
 * returned promise is not awaited; failures go to `listener.failed` and the logger.
 */
export class AgentHooks {
  private readonly emitter = new EventEmitter<AgentHookMap>();

  constructor(private readonly onListenerError: (hook: string, error: unknown) => void) {}

  on<Name extends AgentHookName>(name: Name, listener: AgentHookListener<Name>): () => void {
    this.emitter.on(name, listener as never);
    return () => this.emitter.off(name, listener as never);
  }

  off<Name extends AgentHookName>(name: Name, listener: AgentHookListener<Name>): void {
    this.emitter.off(name, listener as never);
  }

  hasListeners(name: AgentHookName): boolean {
    return this.emitter.listenerCount(name) > 0;
  }

  emit<Name extends AgentHookName>(name: Name, ...args: AgentHookMap[Name]): void {
    if (this.emitter.listenerCount(name) === 0) return;
    for (const listener of this.emitter.listeners(name) as ((...values: unknown[]) => unknown)[]) {
      try {
        const result = listener(...args);
        if (result && typeof (result as Promise<unknown>).then === 'function') {
          (result as Promise<unknown>).then(undefined, (error: unknown) => this.reportFailure(name, error));
        }
      } catch (error) {
        this.reportFailure(name, error);
      }
    }
  }

  private reportFailure(hook: string, error: unknown): void {
    try {
      this.onListenerError(hook, error);
    } catch {
      // the reporter itself must not break the turn either
    }
    if (hook === 'listener.failed') return;
    for (const listener of this.emitter.listeners('listener.failed') as ((value: ListenerFailedHookEvent) => unknown)[]) {
      try {
        const result = listener({ hook, error });
        if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(undefined, () => undefined);
      } catch {
        // a failing failure listener is dropped
      }
    }
  }
}
