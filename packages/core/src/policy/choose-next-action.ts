import { changeStatus } from '../lifecycle/change-status.js';
import type { LifecycleEvent } from '../lifecycle/ticket-lifecycle.js';
import { type Action, RESERVED_SLOTS } from '../model/action.js';
import type { CompletedCall, TicketDoc, WorkflowOutcomeRecord } from '../model/ticket.js';
import type { WorkflowDefinition } from '../model/workflow.js';
import { deepEqual } from '../util/deep-equal.js';
import type { AppliedDecision } from './apply-decision.js';
import { chooseWorkflow } from './choose-workflow.js';
import { type Draft, type PolicyContext, record } from './policy-context.js';
import { confirmQuestion, intentQuestion } from './questions.js';

/** The earlier completed run a corrected, re-confirmed run replaces (E2a). */
export interface Supersedes {
  turn: number;
  calls: CompletedCall[];
}

/** The plan of a turn: reply with an action, run a workflow, or resume a suspended one. */
export type TurnPlan =
  | { kind: 'reply'; draft: Draft; action: Action }
  | { kind: 'execute'; draft: Draft; workflow: WorkflowDefinition; supersedes: Supersedes | null }
  | { kind: 'resume'; draft: Draft; workflow: WorkflowDefinition }
  | { kind: 'abandon'; draft: Draft; applied: AppliedDecision; reason: AbandonReason };

/** Why a suspended procedure is left (E6). */
export type AbandonReason = 'intent_changed' | 'corrected' | 'cancelled' | 'clarification_limit' | 'timeout' | 'erased';

/** Default of D5's bound. */
export const DEFAULT_MAX_CLARIFICATIONS = 3;

/**
 * Chooses the next action from the ticket after the decision was applied (pure, E1):
 * ask the intent while it is unclear (D3); choose the workflow (D1); ask the first
 * missing required slot in declared order (S1, D4) — at most `maxClarifications` turns in a
 * row for one slot (D5); when all are known, run — after a confirmation for `confirm: true`
 * workflows (E2) — unless the workflow already ran with these values (E2a: acknowledge).
 */
export function chooseNextAction(applied: AppliedDecision, context: PolicyContext): TurnPlan {
  const { draft } = applied;
  const ticket = draft.ticket;
  const { registry } = context;
  // D5 counts turns that ask one slot *without getting anything*: a turn that told us something new starts over.
  if (applied.addedSlots.size + applied.changedSlots.size > 0 || (applied.intentClear && !applied.intentRestated)) draft.ticket.clarification = null;
  if (ticket.intent === null)
    return ask(draft, context, { type: 'ask', slot: RESERVED_SLOTS.intent, question: intentQuestion(registry.intents.values()) }, null);

  const choice = chooseWorkflow(ticket, registry, context.privacy);
  if (choice.type === 'none') {
    setWorkflow(draft, null);
    return settle(draft, { type: 'escalate', reason: choice.reason }, { type: 'escalate' });
  }
  if (choice.type === 'needs_slot') {
    setWorkflow(draft, null);
    const slot = registry.slots.get(choice.slot)!;
    return ask(draft, context, { type: 'ask', slot: slot.name, question: slot.question }, null);
  }
  const workflow = choice.workflow;
  setWorkflow(draft, workflow.name);
  const missing = workflow.required.find((slot: { name: string }) => !Object.hasOwn(ticket.slots, slot.name));
  if (missing) return ask(draft, context, { type: 'ask', slot: missing.name, question: missing.question, workflow: workflow.name }, workflow.name);

  const last = ticket.outcomes[workflow.name];
  const ranBefore =
    last !== undefined &&
    deepEqual(
      workflow.rerun === 'any' ? (last.allValues ?? last.values) : last.values,
      workflow.rerun === 'any' ? allValues(ticket, workflow) : requiredValues(ticket, workflow),
    );
  if (ranBefore && !(workflow.confirm && ticket.confirmation?.workflow === workflow.name)) {
    if (!didNotComplete(last)) return settle(draft, { type: 'acknowledge' }, null);
    const instead = unfinishedRun(applied, context, workflow, last);
    if (instead) return instead;
    // Run again, never on top of what a procedure left still stands of: those calls are superseded (compensated) first (E2a).
    if (!workflow.confirm) return execute(draft, workflow, standingRun(last.leftCalls ?? []));
  }
  if (workflow.confirm) return confirmOrRun(applied, context, workflow);
  // New values (a correction included): never on top of what a procedure left standing either (E2a).
  return execute(draft, workflow, didNotComplete(last) ? standingRun(last.leftCalls ?? []) : null);
}

/** Whether a workflow's last run did not do what was asked: it failed, was declined, rejected or abandoned. */
export function didNotComplete(last: WorkflowOutcomeRecord | undefined): last is WorkflowOutcomeRecord {
  return last !== undefined && last.outcome !== 'resolved' && last.outcome !== 'escalated';
}

/** Whether the ticket's last reply offered to try `workflow` again (see {@link unfinishedRun}). */
export function retryOffered(ticket: TicketDoc, workflow: string): boolean {
  return ticket.pending?.slot === RESERVED_SLOTS.confirm && ticket.pending.workflow === workflow && ticket.confirmation === null;
}

/**
 * A turn about a workflow whose last run, with these values, did not complete (T5, E2a):
 * null to run it again — the message that crashed it was resent, the customer said yes to the
 * offer to try again, or named its intent again (also after another intent) while nothing of
 * it stands or it confirms first — else the plan instead: a no to the offer is remembered; a run that failed or was
 * left is offered again (`replies.notCompleted`); a declined or rejected one is acknowledged
 * as such. Never answered "taken care of", never re-run on a "thanks" or a "no".
 */
function unfinishedRun(applied: AppliedDecision, context: PolicyContext, workflow: WorkflowDefinition, last: WorkflowOutcomeRecord): TurnPlan | null {
  const { draft } = applied;
  const offered = retryOffered(draft.ticket, workflow.name);
  if (offered && applied.confirmAnswer === false) {
    draft.ticket.outcomes = { ...draft.ticket.outcomes, [workflow.name]: { ...last, retryDeclined: true } };
    return settle(draft, { type: 'cancelled', workflow: workflow.name }, null);
  }
  const resent = last.retryMessageId !== undefined && last.retryMessageId === context.messageId;
  // A procedure's left calls are run on top of only after a confirmation restating the values, which supersedes them (E2a).
  const safeToRerun = (last.leftCalls?.length ?? 0) === 0 || workflow.confirm;
  if (resent || (offered && applied.confirmAnswer === true) || (applied.intentClear && applied.confirmAnswer !== false && safeToRerun)) return null;
  const plan = settle(draft, { type: 'acknowledge' }, null);
  if ((last.outcome === 'failed' || last.outcome === 'abandoned') && !last.retryDeclined)
    draft.ticket.pending = { slot: RESERVED_SLOTS.confirm, workflow: workflow.name };
  return plan;
}

/**
 * E2: a `confirm: true` workflow runs only after a yes to a question restating its values.
 * Any changed or added value of the workflow (required or optional, with or without a yes or
 * no) is a correction: the question is asked again with the new values.
 */
function confirmOrRun(applied: AppliedDecision, context: PolicyContext, workflow: WorkflowDefinition): TurnPlan {
  const { draft } = applied;
  const ticket = draft.ticket;
  const values = confirmationValues(ticket, workflow);
  const pending = ticket.confirmation?.workflow === workflow.name ? ticket.confirmation : null;
  // Changed values are corrections, yes or no; values added alongside a yes are used (E2).
  const slots = [...workflow.required, ...workflow.optional] as { name: string }[];
  const changed =
    pending !== null &&
    slots.some(
      (slot) => applied.changedSlots.has(slot.name) || (Object.hasOwn(pending.values, slot.name) && !deepEqual(pending.values[slot.name], values[slot.name])),
    );
  const added = slots.some((slot) => applied.addedSlots.has(slot.name));
  const corrected = pending !== null && (changed || (added && applied.confirmAnswer !== true));
  if (pending && !corrected && applied.confirmAnswer === true) {
    draft.ticket.confirmation = null;
    record(draft, 'confirmation.accepted', { workflow: workflow.name, values });
    return execute(draft, workflow, supersededRun(ticket, workflow));
  }
  if (pending && !corrected && applied.confirmAnswer === false) {
    draft.ticket.confirmation = null;
    draft.ticket.outcomes = {
      ...ticket.outcomes,
      [workflow.name]: {
        ...(ticket.outcomes[workflow.name] ?? {}),
        outcome: 'cancelled',
        turn: context.turn,
        values: requiredValues(ticket, workflow),
        allValues: allValues(ticket, workflow),
      },
    };
    record(draft, 'confirmation.declined', { workflow: workflow.name, values });
    return settle(draft, { type: 'cancelled', workflow: workflow.name }, { type: 'ask' });
  }
  const action: Action = { type: 'ask', slot: RESERVED_SLOTS.confirm, question: confirmQuestion(workflow, values), workflow: workflow.name };
  const plan = ask(draft, context, action, workflow.name, { type: 'ask_confirmation' });
  if (plan.kind === 'reply' && plan.action.type === 'ask') {
    draft.ticket.confirmation = { workflow: workflow.name, values };
    record(draft, 'confirmation.requested', { workflow: workflow.name, values, ...(corrected ? { corrected: true } : {}) });
  }
  return plan;
}

/** The earlier completed run of a `confirm: true` workflow whose calls still stand (E2a). */
function supersededRun(ticket: TicketDoc, workflow: WorkflowDefinition): Supersedes | null {
  // The calls that still stand, whatever became of later attempts (a declined correction, a procedure left with 'keep').
  const last = ticket.outcomes[workflow.name];
  return standingRun([...(last?.calls ?? []), ...(last?.leftCalls ?? [])]);
}

/** Calls that still stand as the run to supersede, named by the turn that made them (the `<turn>:<step>` ending every idempotency key). */
export function standingRun(calls: CompletedCall[]): Supersedes | null {
  if (calls.length === 0) return null;
  return { turn: Number(calls[0]!.key.split(':').at(-2)), calls };
}

/** Required slot values of a workflow, by name (as stored: masks for sensitive slots). */
export function requiredValues(ticket: TicketDoc, workflow: WorkflowDefinition): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const slot of workflow.required as readonly { name: string }[]) values[slot.name] = ticket.slots[slot.name]?.value;
  return values;
}

/** Every known value of a workflow's required and optional slots. */
export function allValues(ticket: TicketDoc, workflow: WorkflowDefinition): Record<string, unknown> {
  const values = requiredValues(ticket, workflow);
  for (const slot of workflow.optional as readonly { name: string }[])
    if (Object.hasOwn(ticket.slots, slot.name)) values[slot.name] = ticket.slots[slot.name]!.value;
  return values;
}

/** The values a confirmation restates: every required slot and the known optional ones. */
export const confirmationValues = allValues;

function execute(draft: Draft, workflow: WorkflowDefinition, supersedes: Supersedes | null): TurnPlan {
  const deferred = (workflow.optional as readonly { name: string }[]).filter((slot) => !Object.hasOwn(draft.ticket.slots, slot.name)).map((slot) => slot.name);
  if (!deepEqual(deferred, draft.ticket.deferred)) {
    draft.ticket.deferred = deferred;
    if (deferred.length > 0) record(draft, 'slots.deferred', { workflow: workflow.name, slots: deferred });
  }
  draft.ticket.pending = null;
  draft.ticket.clarification = null;
  return { kind: 'execute', draft, workflow, supersedes };
}

/**
 * Asks one slot (D4), unless this would be the `maxClarifications + 1`-th turn in a row
 * asking it: then the ticket escalates with reason `clarification_limit` (D5).
 */
export function ask(
  draft: Draft,
  context: PolicyContext,
  action: Extract<Action, { type: 'ask' }>,
  workflow: string | null,
  lifecycle: LifecycleEvent | null = { type: 'ask' },
): TurnPlan {
  const count = clarificationCount(draft, action.slot);
  if (count > (context.maxClarifications ?? DEFAULT_MAX_CLARIFICATIONS)) {
    record(draft, 'clarification.limited', { slot: action.slot, asked: count - 1 });
    draft.ticket.clarification = null;
    draft.ticket.confirmation = null;
    return settle(draft, { type: 'escalate', reason: 'clarification_limit' }, { type: 'escalate' });
  }
  draft.ticket.clarification = { slot: action.slot, count };
  draft.ticket.pending = { slot: action.slot, workflow };
  return settle(draft, action, lifecycle);
}

/** How many turns in a row will have asked `slot` if this turn asks it (D5). */
export function clarificationCount(draft: Draft, slot: string): number {
  const previous = draft.ticket.clarification;
  return previous?.slot === slot ? previous.count + 1 : 1;
}

export function settle(draft: Draft, action: Action, lifecycle: LifecycleEvent | null): TurnPlan {
  if (action.type !== 'ask') {
    draft.ticket.pending = null;
    draft.ticket.clarification = null;
  }
  if (lifecycle) changeStatus(draft, lifecycle);
  return { kind: 'reply', draft, action };
}

function setWorkflow(draft: Draft, workflow: string | null): void {
  const previous = draft.ticket.workflow;
  if (previous === workflow) return;
  draft.ticket.workflow = workflow;
  if (draft.ticket.confirmation && draft.ticket.confirmation.workflow !== workflow) draft.ticket.confirmation = null;
  record(draft, 'workflow.chosen', { from: previous, to: workflow });
}
