import type { Draft } from '../events/draft.js';
import type { ExecutionObserver } from '../events/instrumentation.js';
import type { UndoReason } from '../events/ticket-event-map.js';
import type { WorkflowDefinition } from '../model/workflow.js';
import type { Runtime } from '../runtime/runtime.js';
import { sensitiveValues } from '../runtime/sensitive-values.js';
import { StoreError } from '../store/store-error.js';
import { startClaimHeartbeat } from './claim-heartbeat.js';
import { compensateCalls, undoableCalls } from './compensate-steps.js';
import { revealStep } from './journaled-values.js';
import { type FinishedExecution, rollBackExecution } from './execution-drafts.js';
import { ClaimLostError, describeError } from './execution-errors.js';
import { ExecutionJournal } from './execution-journal.js';
import { completeRun, suspendRun, supersedeEarlierRun } from './finish-run.js';
import { runWorkflow } from './run-workflow.js';
import { errorShower, shownErrorText, ticketErrorShower } from './shown-error.js';
import type { TicketWriter } from './ticket-writer.js';

/** Adds the turn's reply and records to a finished execution's draft (the turn's `finishTurn`). */
export type FinishDraft = (finished: FinishedExecution) => Draft;

/** How an execution ended. */
export type ExecutionEnd =
  | { type: 'done'; outcome: FinishedExecution['outcome'] }
  /** Another turn committed before the checkpoint landed: re-run the turn (no tool ran). */
  | { type: 'conflict' }
  /** The ticket vanished under the turn (erased, or the store lost it): its steps were undone, nothing re-created. */
  | { type: 'gone'; outcome: FinishedExecution['outcome'] };

/** What {@link executeWorkflow} needs. */
export interface ExecuteRequest {
  runtime: Runtime;
  writer: TicketWriter;
  workflow: WorkflowDefinition;
  finish: FinishDraft;
  observer: ExecutionObserver | undefined;
}

/** What undoing an execution needs: its workflow may no longer be declared. */
export type UndoRequest = Omit<ExecuteRequest, 'workflow'> & { workflow: WorkflowDefinition | undefined };

/**
 * Runs a claimed workflow to its end as a saga (E3): compensates the run it supersedes first
 * (E2a), runs the code, and commits the result — or, on any failure, compensates every
 * started step in reverse order and commits the rollback; a pause (approval, input) is
 * committed as such. The writer must hold the claim (checkpoint staged or committed). A
 * store failure on the last write propagates (`StoreError`, outcome unknown): nothing is
 * compensated in place, because the write may have landed — the lease lets a later turn or
 * the sweeper decide (E4, E7).
 */
export async function executeWorkflow(request: ExecuteRequest): Promise<ExecutionEnd> {
  const { runtime, writer } = request;
  const journal = new ExecutionJournal(writer, runtime.settings, () => writer.ticket.execution?.leaseMs ?? runtime.settings.leaseMs);
  const stopHeartbeat = startClaimHeartbeat(writer, journal, runtime.settings.leaseMs, runtime.settings.elapsed);
  try {
    const superseded = await supersedeEarlierRun(request, journal);
    if (superseded !== 'done') return await commitFinished(request, superseded, journal);
    const run = await runWorkflow(runtime, writer, journal, request.workflow, request.observer);
    if (run.type === 'lost') return await undoLost(request, journal, run.error);
    if (run.type === 'paused') return await commitFinished(request, suspendRun(runtime, writer.ticket, journal, request.workflow, run.pause), journal, true);
    if (run.type === 'returned' && run.result.status !== 'failed')
      return await commitFinished(request, completeRun(runtime, journal, writer.ticket, request.workflow, run.result), journal);
    const error = run.type === 'failed' ? describeError(run.error) : `the workflow reported a failure: ${run.result.reply}`;
    return await rollBack(request, journal, 'failed', error, run.type === 'returned' ? run.result.reply : undefined);
  } catch (error) {
    if (error instanceof ClaimLostError) return undoLost(request, journal, error);
    throw error;
  } finally {
    stopHeartbeat();
  }
}

/**
 * Undoes an execution the writer has just claimed (a staged claim): writes the claim first,
 * so a crash meanwhile is recovered like any execution, then compensates and rolls back —
 * for a rejected or expired approval.
 */
export async function undoClaimedExecution(request: UndoRequest, reason: UndoReason, error: string): Promise<ExecutionEnd> {
  const { runtime, writer } = request;
  const journal = new ExecutionJournal(writer, runtime.settings, () => runtime.settings.leaseMs);
  const stopHeartbeat = startClaimHeartbeat(writer, journal, runtime.settings.leaseMs, runtime.settings.elapsed);
  try {
    await journal.write();
    return await rollBack(request, journal, reason, error);
  } catch (thrown) {
    if (thrown instanceof ClaimLostError) return thrown.gone ? erasedEnd(runtime) : { type: 'conflict' };
    throw thrown;
  } finally {
    stopHeartbeat();
  }
}

/** Compensates the journal's started steps and commits the rollback. */
export async function rollBack(request: UndoRequest, journal: ExecutionJournal, reason: UndoReason, failure: string, reply?: string): Promise<ExecutionEnd> {
  const { runtime, writer } = request;
  // An error message may quote a sensitive value (a tool's "card 4111… declined", P1) or the customer's e-mail (P2).
  const secrets = sensitiveValues(runtime, writer.ticket);
  const error = shownErrorText(runtime, failure, secrets);
  const calls = undoableCalls({ ...writer.ticket.execution!, steps: journal.steps }, revealStep(runtime, writer.ticket.id));
  // An undo is an effect: it runs under a committed claim (E4). A resumed procedure whose run
  // failed before its first journal write holds a staged claim only; if another turn commits
  // first, the steps it kept must not have been undone by a turn that never happened.
  if (calls.length > 0 && writer.hasStaged) await journal.write();
  const compensation = await compensateCalls({
    runner: runtime.tools,
    calls,
    tools: runtime.registry.tools,
    ticketId: writer.ticket.id,
    reason,
    now: () => journal.at(),
    showError: errorShower(runtime, secrets),
    observer: request.observer,
  });
  const ticket = journal.apply(writer.ticket);
  const finished = rollBackExecution(runtime, ticket, request.workflow, compensation, { error, reason, ...(reply ? { reply } : {}) });
  request.observer?.ended({ outcome: compensation.complete ? 'failed' : 'needs_human', error });
  return commitFinished(request, finished, journal, false, false);
}

/** The last write of an execution: the finished draft with the turn's reply. A lost claim undoes the steps. */
async function commitFinished(
  request: UndoRequest,
  finished: FinishedExecution,
  journal: ExecutionJournal,
  parked = false,
  report = true,
): Promise<ExecutionEnd> {
  const { writer } = request;
  const draft = request.finish(finished);
  try {
    await writer.write(() => (parked ? journal.apply(draft.ticket, true) : draft.ticket), journal.takePending().concat(draft.events));
  } catch (error) {
    if (error instanceof ClaimLostError) return error.beforeClaim ? { type: 'conflict' } : undoLost(request, journal, error);
    if (
      StoreError.isInstance(error) &&
      error.kind === 'invalid' &&
      !parked &&
      finished.outcome.action.type === 'execute' &&
      finished.outcome.action.outcome !== 'failed'
    ) {
      return rollBack(request, journal, 'failed', `the result could not be stored: ${describeError(error)}`);
    }
    throw error;
  }
  if (report) request.observer?.ended({ outcome: finished.outcome.action.type === 'execute' ? finished.outcome.action.outcome : finished.outcome.action.type });
  return { type: 'done', outcome: finished.outcome };
}

/**
 * Our claim was lost after we took it: another worker recovered the ticket (our lease lapsed
 * while we were paused or cut off; it compensated what it knew, possibly before our call took
 * effect) or the ticket vanished. Either way the execution is void: undo every step we started,
 * again — compensations are idempotent and safe when the call never took effect (E4) — so no
 * late effect survives.
 */
async function undoLost(request: UndoRequest, journal: ExecutionJournal, error: ClaimLostError): Promise<ExecutionEnd> {
  if (error.beforeClaim) return { type: 'conflict' };
  const { runtime, writer } = request;
  await compensateCalls({
    runner: runtime.tools,
    calls: undoableCalls({ ...writer.ticket.execution!, steps: journal.steps }, revealStep(runtime, writer.ticket.id)),
    tools: runtime.registry.tools,
    ticketId: writer.ticket.id,
    reason: 'failed',
    now: () => journal.at(),
    showError: ticketErrorShower(runtime, writer.ticket),
    observer: request.observer,
  });
  request.observer?.event?.('lost', { gone: error.gone });
  request.observer?.ended({ outcome: 'lost', error: error.message });
  const workflow = request.workflow?.name ?? request.writer.ticket.execution?.workflow ?? '';
  const reply = error.gone ? runtime.settings.replies.erased : runtime.settings.replies.executionFailed;
  const outcome = { action: { type: 'execute' as const, workflow, outcome: 'failed' as const, reason: 'claim_lost' }, reply, actedOn: false };
  return error.gone ? { type: 'gone', outcome } : { type: 'done', outcome };
}

/** How a turn ends when its ticket vanished before anything ran. */
export function erasedEnd(runtime: Runtime): ExecutionEnd {
  return { type: 'gone', outcome: { action: { type: 'erased' }, reply: runtime.settings.replies.erased, actedOn: false } };
}
