import type { LoadedTicket } from '../store/ticket-store.js';
import { compensateSteps } from './compensate-steps.js';
import { type ExecutionDeps, isoNow } from './execution-deps.js';
import { ClaimLostError } from './execution-errors.js';
import { type FinishedTicket, rollBackExecution } from './finish-execution.js';
import { TicketWriter } from './ticket-writer.js';

/** True when the ticket's execution was left by a worker whose lease has expired (E4). */
export function hasExpiredClaim(loaded: LoadedTicket, now: number): boolean {
  const lease = loaded.ticket.execution?.leaseExpiresAt;
  return lease !== null && lease !== undefined && now >= lease;
}

/** True when another worker holds a live claim: wait for it, never run beside it (T6). */
export function hasLiveClaim(loaded: LoadedTicket, now: number): boolean {
  const lease = loaded.ticket.execution?.leaseExpiresAt;
  return lease !== null && lease !== undefined && now < lease;
}

/**
 * Recovers an execution interrupted by a crash (E4): takes the claim over (a
 * compare-and-set, so only one worker recovers), compensates every started step in
 * reverse order — those whose outcome is unknown included — and rolls the ticket back to
 * its checkpoint. Returns the committed result, or null when another worker got there
 * first (reload and look again).
 */
export async function recoverExecution(deps: ExecutionDeps, loaded: LoadedTicket): Promise<{ writer: TicketWriter; finished: FinishedTicket } | null> {
  const execution = loaded.ticket.execution!;
  const writer = new TicketWriter(deps.store, loaded.ticket, loaded.version);
  try {
    await writer.commit(
      { ...loaded.ticket, updatedAt: isoNow(deps), execution: { ...execution, owner: deps.instanceId, leaseExpiresAt: deps.now() + deps.leaseMs } },
      [{ type: 'execution.recovery_started', at: isoNow(deps), data: { workflow: execution.workflow, previousOwner: execution.owner, turn: execution.turn, steps: execution.steps.length } }],
    );
    const workflow = deps.registry.workflows.get(execution.workflow);
    const compensation = await compensateSteps({ steps: execution.steps, tools: deps.registry.tools, ticketId: loaded.ticket.id, reason: 'recovered', at: () => isoNow(deps) });
    const finished = rollBackExecution(deps, writer.ticket, workflow, compensation, { error: 'the worker running it stopped before it finished', reason: 'recovered' }, null, []);
    await writer.commit(finished.ticket, finished.events);
    return { writer, finished };
  } catch (error) {
    if (error instanceof ClaimLostError) return null;
    throw error;
  }
}
