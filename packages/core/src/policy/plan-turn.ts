import type { Decision } from '../decide/decision.js';
import type { TicketDoc } from '../model/ticket.js';
import type { WorkflowDefinition } from '../model/workflow.js';
import { type AppliedDecision, applyDecision } from './apply-decision.js';
import {
  type AbandonReason,
  ask,
  chooseNextAction,
  clarificationCount,
  DEFAULT_MAX_CLARIFICATIONS,
  settle,
  standingRun,
  type TurnPlan,
} from './choose-next-action.js';
import { changeStatus } from '../lifecycle/change-status.js';
import { record } from './policy-context.js';
import type { PolicyContext } from './policy-context.js';

/**
 * The whole pure policy of a turn: apply the decision, then choose the next action.
 * Same ticket + same decision + same context = same plan (E1). A ticket whose procedure
 * waits for the customer (E6) resumes when the awaited slot arrived, is left (`abandon`) on a
 * switch to another intent, a cancel or too many unanswered questions, and otherwise asks again.
 */
export function planTurn(ticket: TicketDoc, decision: Decision, context: PolicyContext): TurnPlan {
  const applied = applyDecision(ticket, decision, context);
  if (ticket.status === 'closed') changeStatus(applied.draft, { type: 'reopen' }, 'message');
  if (ticket.status === 'awaiting_input' && ticket.execution?.awaiting) return planSuspended(applied, context);
  return chooseNextAction(applied, context);
}

function planSuspended(applied: AppliedDecision, context: PolicyContext): TurnPlan {
  const { draft } = applied;
  const execution = draft.ticket.execution!;
  const slot = execution.awaiting!.slot;
  const workflow = context.registry.workflows.get(execution.workflow);
  if (!workflow) return { kind: 'abandon', draft, applied, reason: 'intent_changed' };
  if (applied.intentClear && draft.ticket.intent !== workflow.intent) return { kind: 'abandon', draft, applied, reason: 'intent_changed' };
  // A corrected value the run may have acted on: the procedure starts again with it (E2, E2a).
  if (correctsRun(applied, workflow, slot)) return { kind: 'abandon', draft, applied, reason: 'corrected' };
  if (Object.hasOwn(draft.ticket.slots, slot) && !applied.rejectedSlots.has(slot)) {
    draft.ticket.pending = null;
    draft.ticket.clarification = null;
    return { kind: 'resume', draft, workflow };
  }
  if (applied.confirmAnswer === false) return { kind: 'abandon', draft, applied, reason: 'cancelled' };
  const count = clarificationCount(draft, slot);
  if (count > (context.maxClarifications ?? DEFAULT_MAX_CLARIFICATIONS)) {
    record(draft, 'clarification.limited', { slot, asked: count - 1 });
    draft.ticket.clarification = null;
    return { kind: 'abandon', draft, applied, reason: 'clarification_limit' };
  }
  const question = execution.awaiting!.question ?? context.registry.slots.get(slot)?.question ?? slot;
  return ask(draft, context, { type: 'ask', slot, question, workflow: workflow.name }, workflow.name, null);
}

/**
 * Whether the turn changes a value a suspended run acted on, as E2a re-runs a completed one:
 * a corrected required value or earlier answer; for `rerun: 'any'`, any of its required or
 * optional values corrected or added. The answer awaited does not count.
 */
function correctsRun(applied: AppliedDecision, workflow: WorkflowDefinition, awaited: string): boolean {
  const changed = (name: string) => name !== awaited && (applied.changedSlots.has(name) || (workflow.rerun === 'any' && applied.addedSlots.has(name)));
  const inputs: readonly { name: string }[] = workflow.rerun === 'any' ? [...workflow.required, ...workflow.optional] : workflow.required;
  // An answer the run already acted on (a recorded `ctx.ask`) that the customer corrects counts too.
  const answered = applied.draft.ticket.execution?.answers ?? [];
  return inputs.some((slot) => changed(slot.name)) || answered.some((answer) => answer.slot !== awaited && applied.changedSlots.has(answer.slot));
}

/**
 * The plan once a suspended procedure was left (the executor compensated or kept its steps
 * and the ticket is back at its checkpoint status): the new intent proceeds as usual; a
 * cancel answers `cancelled`; too many unanswered questions escalate (D5).
 */
export function planAfterAbandon(applied: AppliedDecision, reason: AbandonReason, workflow: string, context: PolicyContext): TurnPlan {
  if (reason === 'clarification_limit') return settle(applied.draft, { type: 'escalate', reason: 'clarification_limit' }, { type: 'escalate' });
  if (reason === 'cancelled') return settle(applied.draft, { type: 'cancelled', workflow }, { type: 'ask' });
  if (reason === 'corrected') return planRestart(applied, workflow, context);
  return chooseNextAction(applied, context);
}

/**
 * A procedure left for a correction starts again (E2, E2a): planned as if it had not run — so
 * a corrected answer of the same values runs it too — but never on top of what it left
 * standing (`onAbandon: 'keep'`): the run supersedes those calls first.
 */
function planRestart(applied: AppliedDecision, workflow: string, context: PolicyContext): TurnPlan {
  const { draft } = applied;
  const { [workflow]: left, ...others } = draft.ticket.outcomes;
  draft.ticket.outcomes = others;
  const plan = chooseNextAction(applied, context);
  if (left) draft.ticket.outcomes = { ...draft.ticket.outcomes, [workflow]: left };
  if (plan.kind === 'execute' && plan.workflow.name === workflow && plan.supersedes === null && left?.leftCalls?.length)
    return { ...plan, supersedes: standingRun(left.leftCalls) };
  return plan;
}
