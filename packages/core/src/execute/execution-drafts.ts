import { type Draft, record } from '../events/draft.js';
import type { UndoReason } from '../events/ticket-event-map.js';
import { changeStatus } from '../lifecycle/change-status.js';
import { type Action, RESERVED_SLOTS } from '../model/action.js';
import { parseStorable, storableText, toJsonValue } from '../model/json-value.js';
import type { CompletedCall, ExecutionRecord, SlotValue, TicketDoc, TicketStatus, WorkflowOutcomeRecord } from '../model/ticket.js';
import type { WorkflowDefinition, WorkflowResult } from '../model/workflow.js';
import { allValues, confirmationValues, requiredValues } from '../policy/choose-next-action.js';
import { confirmQuestion } from '../policy/questions.js';
import type { Runtime } from '../runtime/runtime.js';
import { maskJson, sensitiveValues } from '../runtime/sensitive-values.js';
import { isoTime } from '../util/iso-time.js';
import type { CompensationReport } from './compensate-steps.js';
import { ticketAsRun } from './run-inputs.js';

/** How a turn (or a human decision, or a recovery) ended: the one outcome type up to `TurnResult`. */
export interface TurnOutcome {
  action: Action;
  reply: string;
  /** False when the customer's message was kept but not acted on (T4). */
  actedOn: boolean;
}

/** A ticket ready for its last write, and how the execution ended. */
export interface FinishedExecution {
  draft: Draft;
  outcome: TurnOutcome;
}

/**
 * The ticket after a successful execution: the workflow's status, its outcome recorded for
 * E2a (with the calls that stand, for a later supersede and for `requiresApproval`), values
 * of a `confirm: true` workflow spent (S3), slots it learned (`source: 'tool'`), the claim
 * released.
 */
export function completeExecution(runtime: Runtime, ticket: TicketDoc, workflow: WorkflowDefinition, result: WorkflowResult): FinishedExecution {
  const draft: Draft = {
    ticket: { ...ticket, slots: { ...ticket.slots }, updatedAt: isoTime(runtime.settings.now()) },
    events: [],
    at: isoTime(runtime.settings.now()),
  };
  const execution = ticket.execution!;
  // The outcome records the values the run acted on (E2a: a value given while it waited has not been acted on).
  const ranWith = ticketAsRun(ticket, workflow);
  if (workflow.confirm) spendValues(draft, workflow);
  learnSlots(runtime, draft, result.slots ?? {}, execution.turn);
  const outcome = result.status === 'escalated' ? 'escalated' : 'resolved';
  const calls = completedCalls(execution);
  draft.ticket.outcomes = {
    ...ticket.outcomes,
    [workflow.name]: { outcome, turn: execution.turn, values: requiredValues(ranWith, workflow), allValues: allValues(ranWith, workflow), calls },
  };
  record(draft, 'execution.completed', {
    workflow: workflow.name,
    outcome,
    steps: execution.steps.length,
    ...(result.data ? { data: maskJson(jsonRecord(result.data), sensitiveValues(runtime, ticket)) as Record<string, unknown> } : {}),
  });
  changeStatus(draft, { type: 'complete', outcome });
  draft.ticket.execution = null;
  return { draft, outcome: { action: { type: 'execute', workflow: workflow.name, outcome }, reply: storableText(result.reply), actedOn: true } };
}

/** The calls of an execution that completed (they stand until compensated), as an outcome records them. */
export function completedCalls(execution: ExecutionRecord): CompletedCall[] {
  return execution.steps
    .filter((step) => step.state === 'completed')
    .map((step) => ({
      tool: step.tool,
      key: step.key,
      input: step.input,
      output: step.output,
      ...(step.sealedInput ? { sealedInput: step.sealedInput } : {}),
      ...(step.sealedOutput ? { sealedOutput: step.sealedOutput } : {}),
    }));
}

/** An outcome record without the given calls among those that stand (`calls`, `leftCalls`): they were superseded (E2a). */
export function withoutCalls<Record extends Pick<WorkflowOutcomeRecord, 'calls' | 'leftCalls'>>(record: Record, gone: readonly { key: string }[]): Record {
  const keys = new Set(gone.map((call) => call.key));
  const { leftCalls, ...rest } = record;
  const left = (leftCalls ?? []).filter((call) => !keys.has(call.key));
  return { ...rest, calls: (record.calls ?? []).filter((call) => !keys.has(call.key)), ...(left.length > 0 ? { leftCalls: left } : {}) } as Record;
}

/** How an execution failed, for {@link rollBackExecution}. */
export interface ExecutionFailure {
  error: string;
  reason: UndoReason;
  /** The workflow's own reply when it returned `failed`. */
  reply?: string;
  /** The status to return to instead of the checkpoint's (a procedure left drops the confirmation it started from). */
  resumeStatus?: TicketStatus;
}

/**
 * The ticket after a failed execution whose steps were compensated: back to the checkpoint
 * (T4, E3) — the status it had before the execution, the user's facts kept — or to
 * `needs_human` when a compensation failed (or an approval expired), `closed` when a human
 * rejected it. A `confirm: true` workflow asks for its confirmation again, so a "yes" retries.
 */
export function rollBackExecution(
  runtime: Runtime,
  ticket: TicketDoc,
  workflow: WorkflowDefinition | undefined,
  compensation: CompensationReport,
  failure: ExecutionFailure,
): FinishedExecution {
  const at = isoTime(runtime.settings.now());
  const draft: Draft = { ticket: { ...ticket, updatedAt: at }, events: [...compensation.events], at };
  const execution = ticket.execution!;
  const name = workflow?.name ?? execution.workflow;
  const steps = execution.steps.length;
  const eventType = failure.reason === 'recovered' ? 'execution.recovered' : 'execution.failed';
  record(draft, eventType, { workflow: name, reason: failure.reason, error: failure.error, compensated: compensation.complete, steps });
  if (!compensation.complete) changeStatus(draft, { type: 'compensation_failed' }, failure.reason);
  else if (failure.reason === 'rejected') changeStatus(draft, { type: 'close' }, 'rejected');
  else if (failure.reason === 'expired') changeStatus(draft, { type: 'hand_to_human' }, 'expired');
  else changeStatus(draft, { type: 'roll_back', to: failure.resumeStatus ?? execution.resumeStatus }, failure.reason);
  record(draft, 'ticket.rolled_back', { workflow: name, to: draft.ticket.status });
  const retryByConfirming = workflow?.confirm === true && compensation.complete && draft.ticket.status === execution.resumeStatus && !failure.resumeStatus;
  const outcomeName = failure.reason === 'rejected' ? 'rejected' : failure.reason === 'abandoned' ? 'abandoned' : 'failed';
  // The values the run acted on (a value corrected while it waited was not), E2a.
  const ranWith = ticketAsRun(ticket, workflow);
  const values = workflow ? requiredValues(ranWith, workflow) : {};

  // An execution cut short by a crash did not fail on its merits: resending the message it was running for runs it again (T5).
  const retry = failure.reason === 'recovered' && execution.messageId !== null ? { retryMessageId: execution.messageId } : {};
  // A no to the offer to retry (see `unfinishedRun`) was about the earlier attempt, not this one.
  const { retryDeclined: _earlierOffer, ...earlier } = ticket.outcomes[name] ?? {};
  // A supersede that was under way (E2a) has now been undone with the rest: those calls no longer stand.
  const previous = execution.supersedes && compensation.complete ? withoutCalls(earlier, execution.supersedes.calls) : earlier;
  draft.ticket.outcomes = {
    ...ticket.outcomes,
    [name]: {
      ...previous,
      ...retry,
      outcome: outcomeName,
      turn: execution.turn,
      values,
      ...(workflow ? { allValues: allValues(ranWith, workflow) } : {}),
    },
  };
  draft.ticket.execution = null;
  if (retryByConfirming) {
    draft.ticket.confirmation = { workflow: name, values: confirmationValues(ticket, workflow!) };
    draft.ticket.pending = { slot: RESERVED_SLOTS.confirm, workflow: name };
  }
  return {
    draft,
    outcome: failedOutcome(runtime, name, compensation, failure, retryByConfirming ? confirmQuestion(workflow!, draft.ticket.confirmation!.values) : null),
  };
}

function failedOutcome(
  runtime: Runtime,
  workflow: string,
  compensation: CompensationReport,
  failure: ExecutionFailure,
  confirmAgain: string | null,
): TurnOutcome {
  const { replies } = runtime.settings;
  if (!compensation.complete || failure.reason === 'expired')
    return { action: { type: 'execute', workflow, outcome: 'needs_human', reason: failure.error }, reply: replies.needsHuman, actedOn: false };
  if (failure.reason === 'rejected') return { action: { type: 'cancelled', workflow, reason: 'rejected' }, reply: replies.rejected, actedOn: false };
  const base = failure.reply ? storableText(failure.reply) : replies.executionFailed;
  return {
    action: { type: 'execute', workflow, outcome: 'failed', reason: failure.error },
    reply: confirmAgain ? `${base} ${confirmAgain}` : base,
    actedOn: false,
  };
}

/** S3: the values a `confirm: true` workflow ran with are spent; a new intent does not reuse them. */
function spendValues(draft: Draft, workflow: WorkflowDefinition): void {
  for (const slot of [...workflow.required, ...workflow.optional] as { name: string; stable: boolean }[]) {
    const value = draft.ticket.slots[slot.name];
    if (value && !slot.stable) draft.ticket.slots[slot.name] = { ...value, spent: true };
  }
}

/** Slots a workflow reported learning (`result.slots`): stored with `source: 'tool'`, never over a user's value. */
function learnSlots(runtime: Runtime, draft: Draft, learned: Record<string, unknown>, turn: number): void {
  for (const [name, raw] of Object.entries(learned)) {
    const slot = runtime.registry.slots.get(name);
    const parsed = slot ? parseStorable(slot.schema, raw) : undefined;
    if (!slot || !parsed?.ok) {
      record(draft, 'slot.rejected', { slot: name, source: 'tool', reason: slot ? 'fails the slot schema' : 'undeclared slot' });
      continue;
    }
    if (draft.ticket.slots[name]?.source === 'user') continue;
    const value: SlotValue =
      slot.sensitive && runtime.privacy
        ? { ...sealed(runtime, draft.ticket.id, name, parsed.stored), source: 'tool', turn }
        : { value: parsed.stored, source: 'tool', turn };
    if (slot.sensitive && !runtime.privacy) continue;
    draft.ticket.slots[name] = value;
    record(draft, 'slot.set', { slot: name, value: value.value, source: 'tool' });
  }
}

function sealed(runtime: Runtime, ticketId: string, slot: string, stored: unknown): { value: string; sealed: string } {
  const { mask, sealed: ciphertext } = runtime.privacy!.seal(ticketId, slot, stored);
  return { value: mask, sealed: ciphertext };
}

function jsonRecord(data: Record<string, unknown>): Record<string, unknown> {
  try {
    const value = toJsonValue(data);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return { note: 'the workflow data could not be stored as JSON' };
  }
}
