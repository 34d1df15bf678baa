import type { ExecutionRecord, TicketDoc } from '@ticketflow/core';
import type { LedgerCall, LedgerEffect } from '../ledger/ledger-records.js';
import type { History, LoggedEvent, TicketHistory } from './history.js';

const AT = '2025-01-01T10:00:00.000Z';

/** Events from `[type, data]` pairs, numbered from 1. */
export function events(...list: [string, Record<string, unknown>?][]): LoggedEvent[] {
  return list.map(([type, data], index) => ({ seq: index + 1, type, at: AT, ...(data ? { data } : {}) }));
}

/** A valid stored ticket document at `turn`, with overrides. */
export function ticketDocument(id: string, turn: number, overrides: Partial<TicketDoc> = {}): TicketDoc {
  return {
    schemaVersion: 2,
    id,
    incarnation: 'life-1',
    createdAt: AT,
    updatedAt: AT,
    turn,
    status: 'resolved',
    intent: 'plan_change',
    workflow: 'plan_change',
    slots: {},
    deferred: [],
    pending: null,
    confirmation: null,
    outcomes: {},
    transcript: [],
    processed: [],
    seen: '',
    clarification: null,
    execution: null,
    usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0, estimatedCost: 0 },
    ...overrides,
  };
}

/**
 * A small, valid history: ticket `T` whose turn 1 (`m1`) ran `change_plan` (key `T:1:0`,
 * in effect) and completed; turn 2 (`m2`) was a reply. Three commits. Tests break one
 * rule at a time from here.
 */
export function validHistory(): History & { tickets: TicketHistory[]; effects: LedgerEffect[]; calls: LedgerCall[] } {
  const log = events(
    ['message.received', { turn: 1, messageId: 'm1', text: 'switch to plus, yes' }],
    ['decision.made', { turn: 1 }],
    ['execution.started', { turn: 1, workflow: 'plan_change' }],
    ['step.started', { step: 0, tool: 'change_plan', key: 'T:1:0' }],
    ['step.completed', { step: 0, tool: 'change_plan', key: 'T:1:0' }],
    ['execution.completed', { workflow: 'plan_change', outcome: 'resolved' }],
    ['turn.completed', { turn: 1, messageId: 'm1', action: { type: 'execute' } }],
    ['message.received', { turn: 2, messageId: 'm2', text: 'thanks' }],
    ['turn.completed', { turn: 2, messageId: 'm2', action: { type: 'acknowledge' } }],
  );
  const transcript = [
    { role: 'user' as const, text: 'switch to plus, yes', at: AT, turn: 1, messageId: 'm1', actedOn: true },
    { role: 'agent' as const, text: 'done', at: AT, turn: 1 },
    { role: 'user' as const, text: 'thanks', at: AT, turn: 2, messageId: 'm2', actedOn: true },
    { role: 'agent' as const, text: 'you are welcome', at: AT, turn: 2 },
  ];
  return {
    tickets: [{ ticketId: 'T', document: ticketDocument('T', 2, { transcript }), version: 3, events: log }],
    acknowledged: [
      { ticketId: 'T', messageId: 'm1' },
      { ticketId: 'T', messageId: 'm2' },
    ],
    effects: [{ operation: 'change_plan', key: 'T:1:0', input: {}, output: {}, at: AT, appliedBy: 'w1.1', applications: 1 }],
    calls: [{ seq: 1, operation: 'change_plan', key: 'T:1:0', kind: 'run', result: 'ok', worker: 'w1.1', at: AT }],
    compensableOperations: new Set(['change_plan']),
  };
}

/**
 * A valid history of a crash: turn 1 (`m1`) journaled `change_plan` (key `T:1:0`, which
 * took effect), then its worker died; turn 2 is the client's retry of `m1`, which
 * recovered the execution (undoing the effect) first.
 */
export function recoveredHistory(): History & { tickets: TicketHistory[]; effects: LedgerEffect[]; calls: LedgerCall[] } {
  const log = events(
    ['message.received', { turn: 1, messageId: 'm1', text: 'yes' }],
    ['execution.started', { turn: 1, workflow: 'plan_change' }],
    ['step.started', { step: 0, tool: 'change_plan', key: 'T:1:0' }],
    ['execution.recovery_started', { turn: 1 }],
    ['step.compensated', { step: 0, tool: 'change_plan', key: 'T:1:0' }],
    ['execution.recovered', { workflow: 'plan_change', reason: 'recovered' }],
    ['reply.sent', { action: { type: 'execute' } }],
    ['message.received', { turn: 2, messageId: 'm1', text: 'yes', retry: true }],
    ['turn.completed', { turn: 2, messageId: 'm1', action: { type: 'ask' } }],
  );
  const transcript = [{ role: 'user' as const, text: 'yes', at: AT, turn: 2, messageId: 'm1', actedOn: true }];
  return {
    tickets: [{ ticketId: 'T', document: ticketDocument('T', 2, { transcript, status: 'awaiting_confirmation' }), version: 4, events: log }],
    acknowledged: [{ ticketId: 'T', messageId: 'm1' }],
    effects: [{ operation: 'change_plan', key: 'T:1:0', input: {}, output: {}, at: AT, appliedBy: 'w1.1', applications: 1, undoneAt: AT, undoneBy: 'w2.1' }],
    calls: [
      { seq: 1, operation: 'change_plan', key: 'T:1:0', kind: 'run', result: 'ok', worker: 'w1.1', at: AT },
      { seq: 2, operation: 'change_plan', key: 'T:1:0', kind: 'undo', result: 'ok', worker: 'w2.1', at: AT },
    ],
    compensableOperations: new Set(['change_plan']),
  };
}

/** An execution record of turn `turn` (running with a lease unless `overrides` park it). */
export function executionRecord(id: string, turn: number, overrides: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    id: `${id}:${turn}`,
    workflow: 'plan_change',
    turn,
    owner: 'w1',
    leaseExpiresAt: 1,
    leaseMs: 2_000,
    resumeStatus: 'open',
    messageId: `m${turn}`,
    steps: [],
    answers: [],
    awaiting: null,
    supersedes: null,
    ...overrides,
  };
}

/** The `[type, data]` pairs of a ticket's events, to rebuild a log with more events. */
export function pairs(list: readonly LoggedEvent[]): [string, Record<string, unknown>][] {
  return list.map((event) => [event.type, event.data ?? {}]);
}
