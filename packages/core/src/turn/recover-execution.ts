import { eventOf } from '../events/draft.js';
import type { OperationObserver } from '../events/instrumentation.js';
import { compensateCalls, undoableCalls } from '../execute/compensate-steps.js';
import { revealStep } from '../execute/journaled-values.js';
import { rollBackExecution } from '../execute/execution-drafts.js';
import { ClaimLostError } from '../execute/execution-errors.js';
import { TicketWriter } from '../execute/ticket-writer.js';
import { startClaimHeartbeat } from '../execute/claim-heartbeat.js';
import { ExecutionJournal } from '../execute/execution-journal.js';
import type { Runtime } from '../runtime/runtime.js';
import type { LoadedTicket } from '../store/ticket-store.js';
import { isoTime } from '../util/iso-time.js';
import { finishTurn } from './finish-turn.js';
import { ticketErrorShower } from '../execute/shown-error.js';

/**
 * Recovers an execution whose worker stopped (E4): takes the claim over (a compare-and-set,
 * so only one worker recovers), compensates every started step in reverse order — those
 * whose outcome is unknown included — and rolls the ticket back to its checkpoint, with
 * `execution.recovered`. Returns the ticket as committed, or null when another worker got
 * there first (look again).
 */
export async function recoverExecution(
  runtime: Runtime,
  loaded: LoadedTicket,
  observedMs: number | null,
  observer: OperationObserver | undefined,
): Promise<LoadedTicket | null> {
  const { settings } = runtime;
  const execution = loaded.ticket.execution!;
  const writer = new TicketWriter(runtime.store, loaded.ticket, loaded.version, settings.elapsed);
  const at = isoTime(settings.now());
  try {
    await writer.commit(
      {
        ...loaded.ticket,
        updatedAt: at,
        execution: { ...execution, owner: settings.instanceId, leaseExpiresAt: settings.now() + settings.leaseMs, leaseMs: settings.leaseMs },
      },
      [
        eventOf('execution.recovery_started', at, {
          workflow: execution.workflow,
          previousOwner: execution.owner,
          turn: execution.turn,
          steps: execution.steps.length,
          observedMs,
        }),
      ],
    );
    runtime.claims.forget(loaded.ticket.id);
    observer?.event?.('recovery', { workflow: execution.workflow, version: writer.version ?? 0 });
    const workflow = runtime.registry.workflows.get(execution.workflow);
    // Renew the claim while compensations run, so a second sweeper never recovers it again (E4, E7).
    const journal = new ExecutionJournal(writer, settings, () => settings.leaseMs);
    const stopHeartbeat = startClaimHeartbeat(writer, journal, settings.leaseMs, settings.elapsed);
    let compensation;
    try {
      compensation = await compensateCalls({
        runner: runtime.tools,
        calls: undoableCalls(execution, revealStep(runtime, loaded.ticket.id)),
        tools: runtime.registry.tools,
        ticketId: loaded.ticket.id,
        reason: 'recovered',
        now: () => isoTime(settings.now()),
        showError: ticketErrorShower(runtime, loaded.ticket),
      });
    } finally {
      stopHeartbeat();
    }
    if (writer.lost) return null;
    const finished = rollBackExecution(runtime, writer.ticket, workflow, compensation, {
      error: 'the worker running it stopped before it finished',
      reason: 'recovered',
    });
    const draft = finishTurn(runtime, finished.draft, finished.outcome, { kind: 'sweeper' }, execution.turn);
    await writer.settled();
    await writer.commit(draft.ticket, draft.events);
    runtime.hooks.notify(loaded.ticket.id, writer.committedEvents, null);
    return { ticket: writer.ticket, version: writer.version! };
  } catch (error) {
    if (error instanceof ClaimLostError) return null;
    throw error;
  }
}
