import { toView } from '../document/ticket-document.js';
import type { ExecutionObserver } from '../events/instrumentation.js';
import type { ApprovalContext, PreviousToolCall } from '../model/tool.js';
import type { CompletedCall, TicketDoc, TicketView } from '../model/ticket.js';
import { type SensitiveValue, sensitiveValues } from '../runtime/sensitive-values.js';
import { revealStep } from './journaled-values.js';
import type { WorkflowDefinition, WorkflowResult } from '../model/workflow.js';
import { hydrateSlots } from '../policy/hydrate-slots.js';
import { ticketAsRun } from './run-inputs.js';
import type { Runtime } from '../runtime/runtime.js';
import { AbortLatch } from '../util/abort-latch.js';
import type { ExecutionJournal } from './execution-journal.js';
import { type ClaimLostError, ExecutionTimeoutError, InvalidWorkflowResultError } from './execution-errors.js';
import { withDeadline } from '../util/deadline.js';
import { frozenCopy } from '../util/frozen-copy.js';
import type { TicketWriter } from './ticket-writer.js';
import { createWorkflowContext, type RunState } from './workflow-context.js';

/** How running the workflow's code ended. */
export type WorkflowRun =
  | { type: 'returned'; result: WorkflowResult }
  | { type: 'failed'; error: unknown }
  | { type: 'paused'; pause: NonNullable<RunState['pause']> }
  | { type: 'lost'; error: ClaimLostError };

/**
 * Runs a workflow's code with the journaled `ctx` (see `createWorkflowContext`). The writer's
 * ticket must hold the claim. Waits for every call the code started (even one it did not
 * await) before deciding how the run ended: a lost claim first, then a pause (approval or
 * input), then the code's own result or failure.
 */
export async function runWorkflow(
  runtime: Runtime,
  writer: TicketWriter,
  journal: ExecutionJournal,
  workflow: WorkflowDefinition,
  observer: ExecutionObserver | undefined,
): Promise<WorkflowRun> {
  const ticket = writer.ticket;
  const execution = ticket.execution!;
  const abort = new AbortLatch();
  const state: RunState = { pause: null, inflight: new Set(), closed: false };
  let lost: ClaimLostError | null = null;
  journal.onLost = (error) => {
    lost ??= error;
    abort.abort(error);
  };
  const { view, approval } = readOnlyViews(runtime, ticket, writer.version ?? 0);
  const asRun = ticketAsRun(ticket, workflow);
  const names = [...workflow.required, ...workflow.optional, ...workflow.asks].map((slot: { name: string }) => slot.name);
  const context = createWorkflowContext({
    runtime,
    workflow,
    journal,
    ticketId: ticket.id,
    incarnation: ticket.incarnation,
    turn: execution.turn,
    view,
    storedSlots: ticket.slots,
    abort,
    state,
    observer,
    awaiting: execution.awaiting,
    slots: hydrateSlots(asRun, runtime.registry, runtime.privacy, names),
    approval,
    secrets: runSecrets(runtime, ticket, asRun),
  });
  let outcome: WorkflowRun;
  const deadline = withDeadline(runtime.settings.executionTimeoutMs, undefined, {
    timeoutReason: () => new ExecutionTimeoutError(workflow.name, runtime.settings.executionTimeoutMs),
  });
  const stopOnDeadline = () => abort.abort(deadline.signal.reason);
  deadline.signal.addEventListener('abort', stopOnDeadline, { once: true });
  try {
    const running = Promise.resolve().then(() => workflow.run(context));
    outcome = { type: 'returned', result: checkResult(workflow, await deadline.race(running, () => deadline.signal.reason)) };
  } catch (error) {
    outcome = { type: 'failed', error };
  } finally {
    deadline.signal.removeEventListener('abort', stopOnDeadline);
    deadline.dispose();
  }
  while (state.inflight.size > 0) await Promise.allSettled([...state.inflight]);
  state.closed = true;
  if (lost) return { type: 'lost', error: lost };
  if (state.pause) return { type: 'paused', pause: state.pause };
  return outcome;
}

/**
 * What app code may read of the ticket during a run — `ctx.ticket`, and the ticket and earlier
 * calls an approval predicate sees — as frozen copies made on first read: the run's document
 * is the one the engine commits, and a write through a shared view (a transcript entry pushed,
 * a slot value changed) went into it, past every schema, event and provenance.
 */
function readOnlyViews(runtime: Runtime, ticket: TicketDoc, version: number): { view: () => TicketView; approval: ApprovalContext } {
  let view: TicketView | undefined;
  let calls: readonly PreviousToolCall[] | undefined;
  const readView = () => (view ??= frozenCopy(toView(ticket, version)));
  const approval: ApprovalContext = {
    get ticket() {
      return readView();
    },
    get previousCalls() {
      return (calls ??= frozenCopy(previousCalls(ticket, revealStep(runtime, ticket.id))));
    },
  };
  return { view: readView, approval };
}

/** Calls of earlier executions on this ticket that still stand, oldest first (for `requiresApproval`). */
export function previousCalls(ticket: TicketDoc, reveal: (call: CompletedCall) => { input: unknown; output: unknown }): PreviousToolCall[] {
  const calls: PreviousToolCall[] = [];
  const outcomes = Object.entries(ticket.outcomes).sort(([, a], [, b]) => a.turn - b.turn);
  for (const [workflow, outcome] of outcomes) {
    for (const call of outcome.calls ?? []) calls.push({ workflow, tool: call.tool, ...reveal(call), turn: outcome.turn });
  }
  return calls;
}

function checkResult(workflow: WorkflowDefinition, result: unknown): WorkflowResult {
  if (typeof result !== 'object' || result === null) throw new InvalidWorkflowResultError(workflow.name, 'not an object');
  const { status, reply } = result as WorkflowResult;
  if (status !== 'resolved' && status !== 'escalated' && status !== 'failed') {
    throw new InvalidWorkflowResultError(workflow.name, `status must be resolved, escalated or failed (got ${JSON.stringify(status)})`);
  }
  if (typeof reply !== 'string' || reply.trim() === '') throw new InvalidWorkflowResultError(workflow.name, 'reply must be a non-empty string');
  return result as WorkflowResult;
}

/**
 * The sensitive values to mask in the run's journal (P1): those the run sees and the ticket's
 * current ones — one may have changed while the procedure waited — each opened once.
 */
function runSecrets(runtime: Runtime, ticket: TicketDoc, asRun: TicketDoc): SensitiveValue[] {
  const seen = sensitiveValues(runtime, asRun);
  if (asRun === ticket) return seen;
  const changed = Object.fromEntries(
    Object.entries(ticket.slots).filter(([name, slot]) => slot.sealed !== undefined && slot.sealed !== asRun.slots[name]?.sealed),
  );
  return Object.keys(changed).length === 0 ? seen : [...seen, ...sensitiveValues(runtime, { ...ticket, slots: changed })];
}
