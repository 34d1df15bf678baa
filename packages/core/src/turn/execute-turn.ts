import { type Draft, record } from '../events/draft.js';
import type { OperationObserver } from '../events/instrumentation.js';
import { abandonExecution } from '../execute/abandon-execution.js';
import type { TurnOutcome } from '../execute/execution-drafts.js';
import { ClaimLostError } from '../execute/execution-errors.js';
import { erasedEnd, executeWorkflow, type ExecutionEnd } from '../execute/execute-workflow.js';
import { runInputs } from '../execute/run-inputs.js';
import type { TicketWriter } from '../execute/ticket-writer.js';
import { changeStatus } from '../lifecycle/change-status.js';
import type { Action } from '../model/action.js';
import type { WorkflowDefinition } from '../model/workflow.js';
import { didNotComplete, requiredValues, retryOffered, type Supersedes, type TurnPlan } from '../policy/choose-next-action.js';
import { planAfterAbandon } from '../policy/plan-turn.js';
import type { PolicyContext } from '../policy/policy-context.js';
import type { Runtime } from '../runtime/runtime.js';
import { finishTurn, type TurnOrigin } from './finish-turn.js';

/** What the turn's plan needs to be carried out. */
export interface PlannedTurn {
  runtime: Runtime;
  writer: TicketWriter;
  plan: TurnPlan;
  policy: PolicyContext;
  origin: TurnOrigin;
  turn: number;
  observer: OperationObserver | undefined;
}

/**
 * Carries out a turn's plan: a reply is committed with the turn's events; an execution
 * (new or resumed, E6) claims the ticket with a staged checkpoint and runs as a saga; leaving
 * a suspended procedure runs its `onAbandon` policy first, then the new plan. Returns how the
 * turn ended, `conflict` when another turn committed first (re-run the turn on fresh state).
 */
export async function executeTurn(planned: PlannedTurn): Promise<ExecutionEnd> {
  const { plan } = planned;
  try {
    if (plan.kind === 'reply') return await commitReply(planned, plan.draft, plan.action);
    if (plan.kind === 'execute') return await startExecution(planned, plan.draft, plan.workflow, plan.supersedes);
    if (plan.kind === 'resume') return await resumeExecution(planned, plan.draft, plan.workflow);
    const workflow = plan.draft.ticket.execution!.workflow;
    const left = await abandonExecution(planned.runtime, planned.writer, plan.draft, plan.reason);
    if (left.ticket.status === 'needs_human')
      return await commitOutcome(planned, left, {
        action: { type: 'escalate', reason: 'needs_human' },
        reply: planned.runtime.settings.replies.needsHuman,
        actedOn: false,
      });
    return await executeTurn({ ...planned, plan: planAfterAbandon({ ...plan.applied, draft: left }, plan.reason, workflow, planned.policy) });
  } catch (error) {
    if (error instanceof ClaimLostError) return error.gone ? erasedEnd(planned.runtime) : { type: 'conflict' };
    throw error;
  }
}

async function commitReply(planned: PlannedTurn, draft: Draft, action: Action): Promise<ExecutionEnd> {
  const reply = action.type === 'ask' ? action.question : replyFor(planned.runtime, action, draft);
  return commitOutcome(planned, draft, { action, reply, actedOn: true });
}

async function commitOutcome(planned: PlannedTurn, draft: Draft, outcome: TurnOutcome): Promise<ExecutionEnd> {
  const finished = finishTurn(planned.runtime, draft, outcome, planned.origin, planned.turn);
  await planned.writer.write(() => finished.ticket, finished.events);
  return { type: 'done', outcome };
}

/** E3, E4: the checkpoint (this turn's decision applied) and the claim, staged so they land before any tool runs. */
async function startExecution(planned: PlannedTurn, draft: Draft, workflow: WorkflowDefinition, supersedes: Supersedes | null): Promise<ExecutionEnd> {
  const { runtime, turn } = planned;
  const { settings } = runtime;
  const resumeStatus = draft.ticket.status;
  record(draft, 'execution.started', { workflow: workflow.name, turn, values: requiredValues(draft.ticket, workflow), deferred: draft.ticket.deferred });
  changeStatus(draft, { type: 'start_execution' });
  draft.ticket.execution = {
    id: `${draft.ticket.id}:${turn}`,
    workflow: workflow.name,
    turn,
    owner: settings.instanceId,
    leaseExpiresAt: settings.now() + settings.leaseMs,
    leaseMs: settings.leaseMs,
    resumeStatus,
    messageId: planned.origin.kind === 'message' ? planned.origin.messageId : null,
    steps: [],
    answers: [],
    awaiting: null,
    supersedes,
    inputs: runInputs(draft.ticket.slots, workflow),
  };
  return run(planned, draft, workflow, false);
}

/** E6: the awaited answer arrived — claim the suspended execution again and re-run `run` over its journal. */
async function resumeExecution(planned: PlannedTurn, draft: Draft, workflow: WorkflowDefinition): Promise<ExecutionEnd> {
  const { settings } = planned.runtime;
  const execution = draft.ticket.execution!;
  record(draft, 'execution.resumed', { workflow: workflow.name, turn: execution.turn, slot: execution.awaiting?.slot ?? '' });
  changeStatus(draft, { type: 'claim' }, 'resume');
  // `awaiting` stays while the run resumes: the ask it was suspended at takes the new answer.
  const messageId = planned.origin.kind === 'message' ? planned.origin.messageId : execution.messageId;
  draft.ticket.execution = {
    ...execution,
    messageId,
    owner: settings.instanceId,
    leaseExpiresAt: settings.now() + settings.leaseMs,
    leaseMs: settings.leaseMs,
  };
  return run(planned, draft, workflow, true);
}

function run(planned: PlannedTurn, draft: Draft, workflow: WorkflowDefinition, resumed: boolean): Promise<ExecutionEnd> {
  const { runtime, writer, turn, origin } = planned;
  const execution = draft.ticket.execution!;
  writer.stage(draft.ticket, draft.events);
  const observer = planned.observer?.execution?.({ workflow: workflow.name, executionId: execution.id, turn: execution.turn, resumed });
  return executeWorkflow({ runtime, writer, workflow, observer, finish: (finished) => finishTurn(runtime, finished.draft, finished.outcome, origin, turn) });
}

function replyFor(runtime: Runtime, action: Action, draft: Draft): string {
  const { replies } = runtime.settings;
  if (action.type === 'cancelled') return replies.cancelled;
  if (action.type === 'escalate') return action.reason === 'clarification_limit' ? replies.clarificationLimit : replies.escalate;
  const { workflow, outcomes } = draft.ticket;
  const last = workflow === null ? undefined : outcomes[workflow];
  if (!didNotComplete(last)) return replies.acknowledge;
  if (retryOffered(draft.ticket, workflow!)) return replies.notCompleted;
  return last.outcome === 'rejected' ? replies.rejected : replies.cancelled;
}
