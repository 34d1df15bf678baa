import type { LLMErrorKind } from '../llm/llm-error.js';
import type { LLMUsage } from '../llm/llm.js';
import type { Action } from '../model/action.js';
import type { RecordedError, SlotSource, TicketStatus } from '../model/ticket.js';

/** One LLM request, as recorded by `llm.called` / `llm.failed`. */
export type LLMAttemptData = {
  provider: string;
  purpose: 'decide' | 're-ask';
  latencyMs: number;
  model?: string;
  usage?: LLMUsage;
  finishReason?: string;
  kind?: LLMErrorKind;
  retryable?: boolean;
  status?: number;
  message?: string;
};

/** Identifies one journaled tool call in step events. */
export type StepRef = {
  step: number;
  tool: string;
  /** The idempotency key given to the tool. */
  key: string;
};

/** Why a compensation (or a run of them) happened. */
export type UndoReason = 'failed' | 'recovered' | 'rejected' | 'superseded' | 'abandoned' | 'expired';

/**
 * Every event the engine writes, by type, with the shape of its `data` (O1, O2). Types are
 * `noun.verb` in the past tense. Values of `sensitive` slots appear only as masks (P1) and
 * message texts only as redacted (P2).
 */
export interface TicketEventMap {
  'message.received': { turn: number; messageId: string | null; text: string; textHash?: string; retry?: boolean };
  'message.duplicated': { turn: number; messageId: string };
  'llm.called': LLMAttemptData;
  'llm.failed': LLMAttemptData;
  'llm.skipped': { provider: string; reason: 'circuit_open' };
  'llm.circuit_opened': { provider: string; cause: string; failures: number; reopenAt: string };
  'llm.circuit_closed': { provider: string; cause: 'probe_succeeded' | 'hint_elapsed' };
  'turn.degraded': { reason: LLMErrorKind; provider: string; message: string; attempts: number };
  'decision.made': {
    turn: number;
    intent: string | null;
    confidence: number;
    entities: Record<string, unknown>;
    /** Sensitive entities, encrypted (P1): what `replayTicket` decrypts with the agent's key. */
    sealedEntities?: Record<string, string>;
    ticketIntent: string | null;
    workflow: string | null;
    nextAction: Action | { type: 'execute' | 'resume'; workflow: string } | { type: 'abandon'; workflow: string; reason: string };
    provider: string;
    model: string;
    latencyMs: number;
    usage: LLMUsage;
    ignoredKeys?: string[];
  };
  'intent.changed': { from: string | null; to: string; confidence: number };
  'workflow.chosen': { from: string | null; to: string | null };
  'slot.set': { slot: string; value: unknown; source: SlotSource; confirmed?: SlotSource; replaced?: { value: unknown; source: SlotSource } };
  'slot.corrected': { slot: string; from: unknown; to: unknown };
  'slot.inferred': { slot: string; value: unknown; from: readonly string[]; previous?: unknown };
  'slot.reverted': { slot: string; value: unknown; reason: string };
  'slot.rejected': { slot: string; value?: unknown; source?: SlotSource; reason: string };
  'slot.cleared': { slot: string; value: unknown; reason: string };
  'entity.ignored': { names: string[] };
  'slots.deferred': { workflow: string; slots: string[] };
  'clarification.limited': { slot: string; asked: number };
  'confirmation.requested': { workflow: string; values: Record<string, unknown>; corrected?: boolean };
  'confirmation.accepted': { workflow: string; values: Record<string, unknown> };
  'confirmation.declined': { workflow: string; values: Record<string, unknown> };
  'status.changed': { from: TicketStatus; to: TicketStatus; cause: string };
  'execution.started': { workflow: string; turn: number; values: Record<string, unknown>; deferred: string[] };
  'execution.superseded': { workflow: string; turn: number; supersededTurn: number; calls: number };
  'execution.suspended': { workflow: string; turn: number; slot: string; steps: number };
  'execution.resumed': { workflow: string; turn: number; slot: string };
  'execution.abandoned': {
    workflow: string;
    turn: number;
    reason: 'intent_changed' | 'corrected' | 'cancelled' | 'timeout' | 'clarification_limit' | 'erased';
    policy: 'compensate' | 'keep';
    compensated: boolean;
  };
  'execution.completed': { workflow: string; outcome: 'resolved' | 'escalated'; steps: number; data?: Record<string, unknown> };
  'execution.failed': { workflow: string; reason: UndoReason; error: string; compensated: boolean; steps: number };
  'execution.recovery_started': { workflow: string; previousOwner: string; turn: number; steps: number; observedMs: number | null };
  'execution.recovered': { workflow: string; reason: UndoReason; error: string; compensated: boolean; steps: number };
  'execution.lost': { workflow: string; turn: number; reason: 'claim_taken' | 'ticket_gone' };
  'ticket.rolled_back': { workflow: string; to: TicketStatus };
  'step.started': StepRef & { input: unknown; replaces?: number };
  'step.retried': StepRef & { attempt: number; error: string };
  'step.completed': StepRef & { attempts: number; output: unknown; durationMs: number };
  'step.failed': StepRef & { attempts: number; error: string; errorDetail?: RecordedError; ran: boolean; durationMs?: number };
  'step.compensated': StepRef & { attempts: number; outcomeKnown: boolean; reason: UndoReason; durationMs: number };
  'step.not_compensable': StepRef & { reason: UndoReason };
  'compensation.failed': StepRef & { attempts?: number; error: string; reason: UndoReason };
  'approval.requested': StepRef & { workflow: string; input: unknown };
  'approval.granted': StepRef & { workflow: string; by: string; note?: string; at: string };
  'approval.rejected': StepRef & { workflow: string; by: string; note?: string; at: string };
  'approval.expired': StepRef & { workflow: string; waitedMs: number };
  'input.requested': { workflow: string; slot: string; question: string };
  'input.expired': { workflow: string; slot: string; waitedMs: number };
  'reply.sent': { turn: number; action: Action; reply: string };
  'turn.completed': { turn: number; messageId: string | null; action: Action; reply: string };
  'ticket.released': { by: string; note?: string };
}

/** An event type the engine writes. */
export type TicketEventType = keyof TicketEventMap;

/**
 * One record of a ticket's event log, as the engine writes it: the union of every type of
 * {@link TicketEventMap} with its data, so `event.type === 'status.changed'` narrows `data`.
 */
export type TicketEvent = { [Type in TicketEventType]: { type: Type; at: string; data: TicketEventMap[Type] } }[TicketEventType];

/** An event as the store returns it: with its per-ticket sequence number. */
export type StoredTicketEvent = TicketEvent & { seq: number };
