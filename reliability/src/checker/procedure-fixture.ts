import type { ExecutionStep } from '@ticketflow/core';
import type { LedgerEffect } from '../ledger/ledger-records.js';
import type { History, TicketHistory } from './history.js';
import { events, executionRecord, ticketDocument } from './history-fixture.js';

const AT = '2025-01-01T10:00:00.000Z';
type Pair = [string, Record<string, unknown>];

/** A procedure's first turn (`m1`): `open_case` (key `T:1:0`) completed, then it asks for `light` and suspends. */
export const SUSPENDED: readonly Pair[] = [
  ['message.received', { turn: 1, messageId: 'm1', text: 'my router is broken' }],
  ['decision.made', { turn: 1 }],
  ['execution.started', { turn: 1, workflow: 'router_repair' }],
  ['step.started', { step: 0, tool: 'open_case', key: 'T:1:0' }],
  ['step.completed', { step: 0, tool: 'open_case', key: 'T:1:0' }],
  ['execution.suspended', { workflow: 'router_repair', turn: 1, slot: 'light', steps: 1 }],
  ['input.requested', { workflow: 'router_repair', slot: 'light' }],
  ['turn.completed', { turn: 1, messageId: 'm1' }],
];

/** The answer (`m2`) resumes it: `book_technician` (key `T:1:1`) runs and the procedure completes. */
export const RESUMED: readonly Pair[] = [
  ['message.received', { turn: 2, messageId: 'm2', text: 'the light is red' }],
  ['execution.resumed', { workflow: 'router_repair', turn: 1, slot: 'light' }],
  ['step.started', { step: 1, tool: 'book_technician', key: 'T:1:1' }],
  ['step.completed', { step: 1, tool: 'book_technician', key: 'T:1:1' }],
  ['execution.completed', { workflow: 'router_repair', outcome: 'resolved' }],
  ['turn.completed', { turn: 2, messageId: 'm2' }],
];

/** The customer switches to another intent (`m2`): the procedure is abandoned with `policy`, its step compensated (or kept). */
export function abandonedBy(policy: 'keep' | 'compensate', reason = 'intent_changed'): Pair[] {
  return [
    ['message.received', { turn: 2, messageId: 'm2', text: 'forget it, cancel my contract' }],
    ...(policy === 'compensate' ? ([['step.compensated', { step: 0, tool: 'open_case', key: 'T:1:0' }]] as Pair[]) : []),
    ['execution.failed', { workflow: 'router_repair', reason: 'abandoned' }],
    ['ticket.rolled_back', { workflow: 'router_repair', to: 'open' }],
    ['execution.abandoned', { workflow: 'router_repair', turn: 1, reason, policy, compensated: policy === 'compensate' }],
    ['turn.completed', { turn: 2, messageId: 'm2' }],
  ];
}

/** The sweeper expired the awaited answer: compensated, abandoned with `timeout`, `reply.sent`. */
export const EXPIRED: readonly Pair[] = [
  ['input.expired', { workflow: 'router_repair', slot: 'light', waitedMs: 5_000 }],
  ['step.compensated', { step: 0, tool: 'open_case', key: 'T:1:0' }],
  ['execution.failed', { workflow: 'router_repair', reason: 'abandoned' }],
  ['ticket.rolled_back', { workflow: 'router_repair', to: 'open' }],
  ['execution.abandoned', { workflow: 'router_repair', turn: 1, reason: 'timeout', policy: 'compensate', compensated: true }],
  ['reply.sent', { turn: 1 }],
];

/** The completed `open_case` step as the parked execution's journal keeps it. */
export function completedStep(index = 0, key = `T:1:${index}`): ExecutionStep {
  return { index, tool: 'open_case', key, input: {}, state: 'completed', output: {}, attempts: 1, startedAt: AT };
}

function effect(operation: string, key: string, undone = false): LedgerEffect {
  return { operation, key, input: {}, output: {}, at: AT, appliedBy: 'w1.1', applications: 1, ...(undone ? { undoneAt: AT, undoneBy: 'w2.1' } : {}) };
}

/**
 * A procedure history on ticket `T`: the `log` pairs, the document at the log's last turn
 * (`status`, parked execution when `waiting`), the acknowledgements of every `messageId` in
 * it, and the effects of its keys (`undone` ones compensated).
 */
export function procedureHistory(
  log: readonly Pair[],
  options: { status?: string; waiting?: boolean; undone?: readonly string[]; effects?: readonly [string, string][] } = {},
): History & { tickets: TicketHistory[]; effects: LedgerEffect[] } {
  const turn = log.filter(([type]) => type === 'message.received').length;
  const messageIds = [...new Set(log.map(([, data]) => data.messageId).filter((id): id is string => typeof id === 'string'))];
  const execution = options.waiting
    ? executionRecord('T', 1, { workflow: 'router_repair', leaseExpiresAt: null, awaiting: { slot: 'light', since: AT }, steps: [completedStep()] })
    : null;
  const status = options.status ?? (options.waiting ? 'awaiting_input' : 'resolved');
  const document = ticketDocument('T', turn, {
    status: status as never,
    execution,
    ...(options.waiting ? { pending: { slot: 'light', workflow: 'router_repair' } } : {}),
  });
  const keys = options.effects ?? [
    ['open_case', 'T:1:0'],
    ...(log.some(([, data]) => data.key === 'T:1:1') ? ([['book_technician', 'T:1:1']] as [string, string][]) : []),
  ];
  return {
    tickets: [{ ticketId: 'T', document, version: 20, events: events(...log) }],
    acknowledged: messageIds.map((messageId) => ({ ticketId: 'T', messageId })),
    effects: keys.map(([operation, key]) => effect(operation, key, options.undone?.includes(key))),
    calls: [],
    compensableOperations: new Set(['open_case', 'book_technician', 'change_plan']),
  };
}
