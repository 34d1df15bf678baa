import { type Action, RESERVED_SLOTS } from '../model/action.js';
import type { TicketDoc } from '../model/ticket.js';
import type { WorkflowDefinition } from '../model/workflow.js';
import { transitionStatus, type LifecycleEvent } from '../lifecycle/ticket-lifecycle.js';
import { deepEqual } from '../util/deep-equal.js';
import type { AppliedDecision } from './apply-decision.js';
import { chooseWorkflow } from './choose-workflow.js';
import { type Draft, type PolicyContext, record } from './policy-context.js';
import { confirmQuestion, intentQuestion } from './questions.js';

/** The plan of a turn: reply with an action, or run a workflow (the executor takes over). */
export type TurnPlan =
  | { kind: 'reply'; draft: Draft; action: Action }
  | { kind: 'execute'; draft: Draft; workflow: WorkflowDefinition };

/**
 * Chooses the next action from the ticket after the decision was applied (pure, E1):
 * ask the intent while it is unclear (D3); choose the workflow (D1); ask the first
 * missing required slot in declared order (S1, D4); when all are known, run — after a
 * confirmation for `confirm: true` workflows (E2) — unless the workflow already ran with
 * these values (E2a: acknowledge).
 */
export function chooseNextAction(applied: AppliedDecision, context: PolicyContext): TurnPlan {
  const { draft } = applied;
  const ticket = draft.ticket;
  const { registry, at } = context;

  if (ticket.intent === null) {
    return ask(draft, context, { type: 'ask', slot: RESERVED_SLOTS.intent, question: intentQuestion(registry.intents.values()) }, null);
  }

  const choice = chooseWorkflow(ticket, registry);
  if (choice.type === 'none') {
    setWorkflow(draft, null, at);
    return settle(draft, context, { type: 'escalate', reason: choice.reason }, { type: 'escalate' });
  }
  if (choice.type === 'needs_slot') {
    setWorkflow(draft, null, at);
    const slot = registry.slots.get(choice.slot)!;
    return ask(draft, context, { type: 'ask', slot: slot.name, question: slot.question }, null);
  }
  const workflow = choice.workflow;
  setWorkflow(draft, workflow.name, at);

  const missing = workflow.required.find((slot) => !(slot.name in ticket.slots));
  if (missing) {
    return ask(draft, context, { type: 'ask', slot: missing.name, question: missing.question, workflow: workflow.name }, workflow.name);
  }

  const required = requiredValues(ticket, workflow);
  const last = ticket.outcomes[workflow.name];
  if (last && deepEqual(last.values, required)) {
    const retryAllowed = (last.outcome === 'failed' || last.outcome === 'cancelled' || last.outcome === 'rejected') && applied.intentRestated;
    if (!retryAllowed && !(workflow.confirm && ticket.confirmation?.workflow === workflow.name)) {
      return settle(draft, context, { type: 'acknowledge' }, null);
    }
  }

  if (workflow.confirm) {
    const values = confirmationValues(ticket, workflow);
    const pending = ticket.confirmation?.workflow === workflow.name ? ticket.confirmation : null;
    const corrected = pending !== null && Object.entries(pending.values).some(([name, value]) => !deepEqual(values[name], value));
    if (pending && !corrected && applied.confirmAnswer === true) {
      draft.ticket.confirmation = null;
      record(draft, at, 'confirmation.accepted', { workflow: workflow.name, values });
      return execute(draft, workflow, at);
    }
    if (pending && !corrected && applied.confirmAnswer === false) {
      draft.ticket.confirmation = null;
      draft.ticket.outcomes = { ...ticket.outcomes, [workflow.name]: { outcome: 'cancelled', turn: context.turn, values: required } };
      record(draft, at, 'confirmation.declined', { workflow: workflow.name, values });
      return settle(draft, context, { type: 'cancelled', workflow: workflow.name }, { type: 'ask' });
    }
    draft.ticket.confirmation = { workflow: workflow.name, values };
    record(draft, at, 'confirmation.requested', { workflow: workflow.name, values, ...(corrected ? { corrected: true } : {}) });
    const action: Action = { type: 'ask', slot: RESERVED_SLOTS.confirm, question: confirmQuestion(workflow, values), workflow: workflow.name };
    draft.ticket.pending = { slot: RESERVED_SLOTS.confirm, workflow: workflow.name };
    return settle(draft, context, action, { type: 'ask_confirmation' });
  }
  return execute(draft, workflow, at);
}

/** Required slot values of a workflow, by name. */
export function requiredValues(ticket: TicketDoc, workflow: WorkflowDefinition): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const slot of workflow.required) values[slot.name] = ticket.slots[slot.name]?.value;
  return values;
}

/** The values a confirmation restates: every required slot and the known optional ones. */
export function confirmationValues(ticket: TicketDoc, workflow: WorkflowDefinition): Record<string, unknown> {
  const values = requiredValues(ticket, workflow);
  for (const slot of workflow.optional) if (slot.name in ticket.slots) values[slot.name] = ticket.slots[slot.name]!.value;
  return values;
}

function execute(draft: Draft, workflow: WorkflowDefinition, at: string): TurnPlan {
  const deferred = workflow.optional.filter((slot) => !(slot.name in draft.ticket.slots)).map((slot) => slot.name);
  if (!deepEqual(deferred, draft.ticket.deferred)) {
    draft.ticket.deferred = deferred;
    if (deferred.length > 0) record(draft, at, 'slots.deferred', { workflow: workflow.name, slots: deferred });
  }
  draft.ticket.pending = null;
  return { kind: 'execute', draft, workflow };
}

function ask(draft: Draft, context: PolicyContext, action: Extract<Action, { type: 'ask' }>, workflow: string | null): TurnPlan {
  draft.ticket.pending = { slot: action.slot, workflow };
  return settle(draft, context, action, { type: 'ask' });
}

function settle(draft: Draft, context: PolicyContext, action: Action, lifecycle: LifecycleEvent | null): TurnPlan {
  if (action.type !== 'ask') draft.ticket.pending = null;
  if (lifecycle) changeStatus(draft, lifecycle, context.at);
  return { kind: 'reply', draft, action };
}

/** Moves the draft's status through the lifecycle machine, recording `status.changed`. */
export function changeStatus(draft: Draft, event: LifecycleEvent, at: string): void {
  const from = draft.ticket.status;
  const to = transitionStatus(from, event);
  if (to !== from) {
    draft.ticket.status = to;
    record(draft, at, 'status.changed', { from, to, cause: event.type });
  }
}

function setWorkflow(draft: Draft, workflow: string | null, at: string): void {
  const previous = draft.ticket.workflow;
  if (previous === workflow) return;
  draft.ticket.workflow = workflow;
  if (draft.ticket.confirmation && draft.ticket.confirmation.workflow !== workflow) draft.ticket.confirmation = null;
  record(draft, at, 'workflow.chosen', { from: previous, to: workflow });
}
