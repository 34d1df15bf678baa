import { appendTranscript, rememberProcessed } from '../agent/ticket-document.js';
import { transitionStatus } from '../lifecycle/ticket-lifecycle.js';
import { type Action, RESERVED_SLOTS } from '../model/action.js';
import type { DecisionRecord, SlotValue, TicketDoc, TranscriptEntry } from '../model/ticket.js';
import type { WorkflowDefinition, WorkflowResult } from '../model/workflow.js';
import { confirmationValues, requiredValues } from '../policy/choose-next-action.js';
import { confirmQuestion } from '../policy/questions.js';
import type { TicketEvent } from '../store/ticket-event.js';
import type { CompensationReport } from './compensate-steps.js';
import { type ExecutionDeps, isoNow } from './execution-deps.js';

/** The user message an execution answers, when it was started by a turn (not by `approve`). */
export interface TurnOrigin {
  messageId: string | null;
  decision: DecisionRecord | null;
}

/** A ticket ready to commit, with the events that explain it and the reply. */
export interface FinishedTicket {
  ticket: TicketDoc;
  events: TicketEvent[];
  action: Action;
  reply: string;
}

/**
 * The ticket after a successful execution: the workflow's status, its outcome recorded for
 * E2a, values of a `confirm: true` workflow spent (S3), slots it learned (`source: 'tool'`),
 * the claim released, the reply in the transcript.
 */
export function completeExecution(deps: ExecutionDeps, current: TicketDoc, workflow: WorkflowDefinition, result: WorkflowResult, origin: TurnOrigin | null, pendingEvents: TicketEvent[]): FinishedTicket {
  const at = isoNow(deps);
  const execution = current.execution!;
  const events: TicketEvent[] = [...pendingEvents];
  const slots: Record<string, SlotValue> = { ...current.slots };
  if (workflow.confirm) {
    for (const slot of [...workflow.required, ...workflow.optional]) {
      const value = slots[slot.name];
      if (value && !slot.stable) slots[slot.name] = { ...value, spent: true };
    }
  }
  for (const [name, value] of Object.entries(result.slots ?? {})) {
    const slot = deps.registry.slots.get(name);
    const parsed = slot?.schema.safeParse(value);
    if (!slot || !parsed?.success) {
      events.push({ type: 'slot.rejected', at, data: { slot: name, source: 'tool', reason: slot ? 'fails the slot schema' : 'undeclared slot' } });
      continue;
    }
    if (slots[name]?.source === 'user') continue;
    slots[name] = { value: parsed.data, source: 'tool', turn: execution.turn };
    events.push({ type: 'slot.set', at, data: { slot: name, value: parsed.data, source: 'tool' } });
  }
  const outcome = result.status === 'escalated' ? 'escalated' : 'resolved';
  const status = transitionStatus(current.status, { type: 'complete', outcome });
  const action: Action = { type: 'execute', workflow: workflow.name, outcome };
  events.push({ type: 'execution.completed', at, data: { workflow: workflow.name, outcome, steps: execution.steps.length, ...(result.data ? { data: result.data } : {}) } });
  events.push({ type: 'status.changed', at, data: { from: current.status, to: status, cause: 'complete' } });
  const ticket: TicketDoc = {
    ...current,
    updatedAt: at,
    status,
    slots,
    execution: null,
    outcomes: { ...current.outcomes, [workflow.name]: { outcome, turn: execution.turn, values: requiredValues(current, workflow) } },
  };
  return finishTurn(deps, ticket, execution.turn, events, action, result.reply, origin, true);
}

/**
 * The ticket after a failed execution whose steps were compensated: back to the
 * checkpoint (T4, E3) — the status it had before the execution, the user's facts kept —
 * or to `needs_human` when a compensation failed. A `confirm: true` workflow asks for
 * its confirmation again, so that a "yes" retries it.
 */
export function rollBackExecution(
  deps: ExecutionDeps,
  current: TicketDoc,
  workflow: WorkflowDefinition | undefined,
  compensation: CompensationReport,
  failure: { error: string; reason: 'failed' | 'recovered' | 'rejected'; reply?: string },
  origin: TurnOrigin | null,
  pendingEvents: TicketEvent[],
): FinishedTicket {
  const at = isoNow(deps);
  const execution = current.execution!;
  const workflowName = workflow?.name ?? execution.workflow;
  const events: TicketEvent[] = [...pendingEvents, ...compensation.events];
  const to = !compensation.complete
    ? transitionStatus(current.status, { type: 'compensation_failed' })
    : failure.reason === 'rejected'
      ? transitionStatus(current.status, { type: 'close' })
      : transitionStatus(current.status, { type: 'roll_back', to: execution.resumeStatus });
  const values = workflow ? requiredValues(current, workflow) : {};
  const retryByConfirming = workflow?.confirm === true && compensation.complete && failure.reason !== 'rejected';
  events.push({
    type: failure.reason === 'recovered' ? 'execution.recovered' : 'execution.failed',
    at,
    data: { workflow: workflowName, reason: failure.reason, error: failure.error, compensated: compensation.complete, steps: execution.steps.length },
  });
  events.push({ type: 'ticket.rolled_back', at, data: { workflow: workflowName, to } });
  events.push({ type: 'status.changed', at, data: { from: current.status, to, cause: failure.reason } });
  const confirmation = retryByConfirming ? { workflow: workflowName, values: confirmationValues(current, workflow!) } : current.confirmation;
  const ticket: TicketDoc = {
    ...current,
    updatedAt: at,
    status: to,
    execution: null,
    confirmation,
    pending: retryByConfirming ? { slot: RESERVED_SLOTS.confirm, workflow: workflowName } : current.pending,
    outcomes: { ...current.outcomes, [workflowName]: { outcome: failure.reason === 'rejected' ? 'rejected' : 'failed', turn: execution.turn, values } },
    transcript: current.transcript.map((entry) => (entry.role === 'user' && entry.turn === execution.turn ? { ...entry, actedOn: false } : entry)),
  };
  if (!compensation.complete) {
    const action: Action = { type: 'execute', workflow: workflowName, outcome: 'needs_human', reason: failure.error };
    return finishTurn(deps, ticket, execution.turn, events, action, deps.replies.needsHuman, origin, false);
  }
  if (failure.reason === 'rejected') {
    return finishTurn(deps, ticket, execution.turn, events, { type: 'cancelled', workflow: workflowName, reason: 'rejected' }, deps.replies.rejected, origin, false);
  }
  const action: Action = { type: 'execute', workflow: workflowName, outcome: 'failed', reason: failure.error };
  const base = failure.reply ?? deps.replies.executionFailed;
  const reply = retryByConfirming ? `${base} ${confirmQuestion(workflow!, confirmation!.values)}` : base;
  return finishTurn(deps, ticket, execution.turn, events, action, reply, origin, false);
}

/**
 * Adds the reply to the transcript (as the answer to the execution's turn) and, for an
 * execution started by a message, the `turn.completed` event and the T7 record; for one
 * resumed by `approve`/`reject` or a recovery, a `reply.sent` event.
 */
function finishTurn(deps: ExecutionDeps, ticket: TicketDoc, turn: number, events: TicketEvent[], action: Action, reply: string, origin: TurnOrigin | null, actedOn: boolean): FinishedTicket {
  const at = isoNow(deps);
  const entry: TranscriptEntry = { role: 'agent', text: reply, at, turn };
  let next: TicketDoc = { ...ticket, transcript: appendTranscript(ticket.transcript, [entry], deps.transcriptWindow) };
  if (origin) {
    if (!actedOn) next = { ...next, transcript: next.transcript.map((line) => (line.role === 'user' && line.turn === turn ? { ...line, actedOn: false } : line)) };
    if (origin.messageId !== null) {
      next = { ...next, processed: rememberProcessed(next.processed, { messageId: origin.messageId, turn, reply, action, decision: origin.decision }, deps.messageIdWindow) };
    }
    events.push({ type: 'turn.completed', at, data: { turn, messageId: origin.messageId, action, reply } });
  } else {
    events.push({ type: 'reply.sent', at, data: { turn, action, reply } });
  }
  return { ticket: next, events, action, reply };
}
