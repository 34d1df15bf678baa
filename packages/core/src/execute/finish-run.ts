import { type Draft, record } from '../events/draft.js';
import { changeStatus } from '../lifecycle/change-status.js';
import type { TicketDoc } from '../model/ticket.js';
import type { WorkflowDefinition, WorkflowResult } from '../model/workflow.js';
import type { Runtime } from '../runtime/runtime.js';
import { compensateCalls } from './compensate-steps.js';
import { revealStep } from './journaled-values.js';
import { completeExecution, type FinishedExecution, rollBackExecution, withoutCalls } from './execution-drafts.js';
import type { ExecuteRequest } from './execute-workflow.js';
import type { ExecutionJournal } from './execution-journal.js';
import type { RunState } from './workflow-context.js';
import { ticketErrorShower } from './shown-error.js';

/** The finished draft of a run that returned `resolved` or `escalated`. */
export function completeRun(
  runtime: Runtime,
  journal: ExecutionJournal,
  ticket: TicketDoc,
  workflow: WorkflowDefinition,
  result: WorkflowResult,
): FinishedExecution {
  const finished = completeExecution(runtime, journal.apply(ticket), workflow, result);
  finished.draft.events.unshift(...journal.takePending());
  return finished;
}

/**
 * The draft of a run that paused: for a human approval (status `awaiting_approval`) or for the
 * customer's answer to `ctx.ask` (status `awaiting_input`, E6). The journal and the recorded
 * answers stay; the claim is released (no lease while parked).
 */
export function suspendRun(
  runtime: Runtime,
  ticket: TicketDoc,
  journal: ExecutionJournal,
  workflow: WorkflowDefinition,
  pause: NonNullable<RunState['pause']>,
): FinishedExecution {
  const at = journal.at();
  const draft: Draft = { ticket: journal.apply(ticket, true), events: journal.takePending(), at };
  const turn = ticket.execution!.turn;
  if (pause.reason === 'approval') {
    const step = journal.steps[pause.step]!;
    draft.ticket.execution = { ...draft.ticket.execution!, awaiting: null };
    changeStatus(draft, { type: 'await_approval' });
    record(draft, 'approval.requested', { workflow: workflow.name, step: step.index, tool: step.tool, key: step.key, input: step.input });
    return {
      draft,
      outcome: {
        action: { type: 'execute', workflow: workflow.name, outcome: 'awaiting_approval' },
        reply: runtime.settings.replies.approvalRequested,
        actedOn: true,
      },
    };
  }
  const slot = runtime.registry.slots.get(pause.slot)!;
  if (pause.fresh && draft.ticket.slots[slot.name]) {
    const { [slot.name]: previous, ...rest } = draft.ticket.slots;
    draft.ticket.slots = rest;
    record(draft, 'slot.cleared', { slot: slot.name, value: previous!.value, reason: 'the procedure asks it again' });
  }
  const question = pause.question ?? slot.question;
  changeStatus(draft, { type: 'await_input' });
  draft.ticket.execution = {
    ...draft.ticket.execution!,
    awaiting: { slot: slot.name, since: at, ask: pause.ask, ...(pause.question ? { question: pause.question } : {}) },
  };
  draft.ticket.pending = { slot: slot.name, workflow: workflow.name };
  draft.ticket.clarification = { slot: slot.name, count: 1 };
  record(draft, 'execution.suspended', { workflow: workflow.name, turn, slot: slot.name, steps: journal.steps.length });
  record(draft, 'input.requested', { workflow: workflow.name, slot: slot.name, question });
  return { draft, outcome: { action: { type: 'ask', slot: slot.name, question, workflow: workflow.name }, reply: question, actedOn: true } };
}

/**
 * E2a: before a corrected, re-confirmed `confirm: true` workflow runs again, the calls of its
 * earlier run are compensated (`execution.superseded`, written before the first undo), so
 * corrections never add up. A compensation that fails hands the ticket to a human instead.
 */
export async function supersedeEarlierRun(request: ExecuteRequest, journal: ExecutionJournal): Promise<'done' | FinishedExecution> {
  const { runtime, writer, workflow } = request;
  const execution = writer.ticket.execution!;
  const supersedes = execution.supersedes;
  if (!supersedes) return 'done';
  journal.note('execution.superseded', { workflow: workflow.name, turn: execution.turn, supersededTurn: supersedes.turn, calls: supersedes.calls.length });
  await journal.write();
  const reveal = revealStep(runtime, writer.ticket.id);
  const calls = supersedes.calls.map((call, index) => ({ index, tool: call.tool, key: call.key, ...reveal(call), shownInput: call.input, outcomeKnown: true }));
  const report = await compensateCalls({
    runner: runtime.tools,
    calls,
    tools: runtime.registry.tools,
    ticketId: writer.ticket.id,
    reason: 'superseded',
    now: () => journal.at(),
    showError: ticketErrorShower(runtime, writer.ticket),
    observer: request.observer,
  });
  if (!report.complete)
    return rollBackExecution(runtime, journal.apply(writer.ticket), workflow, report, {
      error: 'a compensation of the superseded run failed',
      reason: 'superseded',
    });
  await journal.write(report.events, (ticket) => ({
    ...ticket,
    outcomes: { ...ticket.outcomes, [workflow.name]: withoutCalls(ticket.outcomes[workflow.name]!, supersedes.calls) },
    execution: { ...ticket.execution!, supersedes: null },
  }));
  return 'done';
}
