import type { WorkflowDefinition } from '../model/workflow.js';
import { compensateSteps } from './compensate-steps.js';
import { type ExecutionDeps, isoNow } from './execution-deps.js';
import { ClaimLostError, describeError } from './execution-errors.js';
import { completeExecution, type FinishedTicket, rollBackExecution, type TurnOrigin } from './finish-execution.js';
import { runWorkflow } from './run-workflow.js';
import type { TicketWriter } from './ticket-writer.js';

/** How an execution ended, with what was committed last. */
export type ExecutionResult =
  | { type: 'finished'; finished: FinishedTicket; failed: boolean; error?: string }
  | { type: 'parked' }
  | { type: 'lost' }
  | { type: 'conflict' };

/**
 * Runs a claimed workflow to its end as a saga (E3): on success commits the result; on any
 * failure compensates every started step in reverse order and commits the rollback. The
 * writer must hold the claim (the checkpoint is committed). Store failures propagate (a
 * `StoreError`); after one, the claim's lease lets another turn recover the ticket.
 */
export async function executeWorkflow(deps: ExecutionDeps, writer: TicketWriter, workflow: WorkflowDefinition, origin: TurnOrigin | null): Promise<ExecutionResult> {
  const run = await runWorkflow(deps, writer, workflow);
  if (run.type === 'lost') {
    await undoLostExecution(deps, writer, run.steps);
    return { type: 'lost' };
  }
  if (run.type === 'parked' || run.type === 'conflict') return { type: run.type };

  const withSteps = { ...writer.ticket, execution: { ...writer.ticket.execution!, steps: run.steps } };
  if (run.type === 'returned' && run.result.status !== 'failed') {
    const finished = completeExecution(deps, withSteps, workflow, run.result, origin, run.pendingEvents);
    try {
      await writer.commit(finished.ticket, finished.events);
      return { type: 'finished', finished, failed: false };
    } catch (error) {
      if (error instanceof ClaimLostError && error.beforeClaim) return { type: 'conflict' };
      if (error instanceof ClaimLostError) {
        await undoLostExecution(deps, writer, run.steps);
        return { type: 'lost' };
      }
      // The outcome of this commit is unknown (it may have landed). Compensating now could
      // undo a committed success, so leave it to recovery: once the lease expires, the next
      // turn finds either the committed result or the claim, and compensates only then.
      throw error;
    }
  }
  const error = run.type === 'failed' ? describeError(run.error) : `the workflow reported a failure: ${run.result.reply}`;
  const reply = run.type === 'returned' ? run.result.reply : undefined;
  const finished = await rollBack(deps, writer, workflow, withSteps, error, reply, origin, run.pendingEvents);
  if (finished === 'conflict') return { type: 'conflict' };
  return finished ? { type: 'finished', finished, failed: true, error } : { type: 'lost' };
}

/**
 * Our claim was lost after we took it: the only ways are a recovery by another worker
 * (our lease expired while we were paused or slow; it rolled the execution back and
 * compensated what it knew, possibly before our call took effect) or the ticket vanishing.
 * Either way the execution is void: undo every step we started, again — compensations are
 * idempotent and safe when the call never took effect (E4) — so no late effect survives.
 */
async function undoLostExecution(deps: ExecutionDeps, writer: TicketWriter, steps: Parameters<typeof compensateSteps>[0]['steps']): Promise<void> {
  await compensateSteps({ steps, tools: deps.registry.tools, ticketId: writer.ticket.id, reason: 'failed', at: () => isoNow(deps) });
}

async function rollBack(
  deps: ExecutionDeps,
  writer: TicketWriter,
  workflow: WorkflowDefinition,
  current: typeof writer.ticket,
  error: string,
  reply: string | undefined,
  origin: TurnOrigin | null,
  pendingEvents: Parameters<typeof rollBackExecution>[6],
): Promise<FinishedTicket | 'conflict' | null> {
  const compensation = await compensateSteps({ steps: current.execution!.steps, tools: deps.registry.tools, ticketId: current.id, reason: 'failed', at: () => isoNow(deps) });
  const finished = rollBackExecution(deps, current, workflow, compensation, { error, reason: 'failed', ...(reply ? { reply } : {}) }, origin, pendingEvents);
  try {
    await writer.commit(finished.ticket, finished.events);
    return finished;
  } catch (commitError) {
    if (commitError instanceof ClaimLostError) return commitError.beforeClaim ? 'conflict' : null;
    throw commitError;
  }
}
