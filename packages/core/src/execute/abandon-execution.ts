import { type Draft, record } from '../events/draft.js';
import type { ExecutionObserver } from '../events/instrumentation.js';
import { changeStatus } from '../lifecycle/change-status.js';
import type { AbandonReason } from '../policy/choose-next-action.js';
import type { ExecutionRecord } from '../model/ticket.js';
import type { Runtime } from '../runtime/runtime.js';
import { isoTime } from '../util/iso-time.js';
import { startClaimHeartbeat } from './claim-heartbeat.js';
import { compensateCalls, undoableCalls } from './compensate-steps.js';
import { ExecutionJournal } from './execution-journal.js';
import { revealStep } from './journaled-values.js';
import { completedCalls, rollBackExecution } from './execution-drafts.js';
import type { TicketWriter } from './ticket-writer.js';
import { ticketErrorShower } from './shown-error.js';

/**
 * Leaves a suspended procedure (E6) — the customer switched to another intent, cancelled,
 * stopped answering (`inputTimeoutMs`) or could not answer (D5) — as its workflow declares:
 * `onAbandon: 'compensate'` undoes its completed steps (after committing a claim, so a crash
 * meanwhile is recovered like any execution), `'keep'` leaves them. Returns the draft to go on
 * from: the ticket back at its checkpoint status (or `needs_human` if an undo failed), with
 * `execution.abandoned` recorded. Throws `ClaimLostError` if another turn got there first.
 */
export async function abandonExecution(
  runtime: Runtime,
  writer: TicketWriter,
  draft: Draft,
  reason: AbandonReason,
  observer?: ExecutionObserver,
): Promise<Draft> {
  const { settings } = runtime;
  const execution = draft.ticket.execution!;
  const workflow = runtime.registry.workflows.get(execution.workflow);
  const policy = workflow?.onAbandon ?? 'keep';
  const calls = policy === 'compensate' ? undoableCalls(execution, revealStep(runtime, draft.ticket.id)) : [];
  changeStatus(draft, { type: 'claim' }, 'abandon');
  draft.ticket.pending = null;
  draft.ticket.execution = {
    ...execution,
    awaiting: null,
    owner: settings.instanceId,
    leaseExpiresAt: settings.now() + settings.leaseMs,
    leaseMs: settings.leaseMs,
  };
  let events = draft.events;
  let report = { events: [] as Draft['events'], complete: true };
  if (calls.length > 0) {
    writer.stage(draft.ticket, draft.events);
    await writer.write((ticket) => ticket);
    events = [];
    report = await compensateUnderClaim(runtime, writer, calls, observer);
  }
  const finished = rollBackExecution(runtime, calls.length > 0 ? writer.ticket : draft.ticket, workflow, report, {
    error: `the customer left the procedure (${reason})`,
    reason: 'abandoned',
    // The confirmation the run started from was used: nothing waits for one once the procedure is left.
    ...(execution.resumeStatus === 'awaiting_confirmation' ? { resumeStatus: 'open' as const } : {}),
  });
  const next: Draft = {
    ticket: { ...finished.draft.ticket, pending: null, clarification: null, confirmation: null },
    events: events.concat(finished.draft.events),
    at: finished.draft.at,
  };
  if (policy === 'keep') keepCalls(next, execution);
  record(next, 'execution.abandoned', {
    workflow: execution.workflow,
    turn: execution.turn,
    reason: reason === 'timeout' ? 'timeout' : reason,
    policy,
    compensated: calls.length > 0 && report.complete,
  });
  return next;
}

/**
 * `onAbandon: 'keep'`: the completed calls of the procedure left stand, so its outcome records
 * them (`leftCalls`) — running it again, or a confirmed correction, supersedes them first
 * (E2a), and coming back to the intent offers to run it again rather than running on top of them.
 */
function keepCalls(draft: Draft, execution: ExecutionRecord): void {
  const kept = completedCalls(execution);
  const outcome = draft.ticket.outcomes[execution.workflow];
  if (kept.length === 0 || !outcome) return;
  draft.ticket.outcomes = { ...draft.ticket.outcomes, [execution.workflow]: { ...outcome, leftCalls: [...(outcome.leftCalls ?? []), ...kept] } };
}

/** Undoes the calls while renewing the claim just committed (a slow undo must not look abandoned, E4). */
async function compensateUnderClaim(runtime: Runtime, writer: TicketWriter, calls: ReturnType<typeof undoableCalls>, observer: ExecutionObserver | undefined) {
  const { settings } = runtime;
  const stopHeartbeat = startClaimHeartbeat(writer, new ExecutionJournal(writer, settings, () => settings.leaseMs), settings.leaseMs, settings.elapsed);
  try {
    return await compensateCalls({
      runner: runtime.tools,
      calls,
      tools: runtime.registry.tools,
      ticketId: writer.ticket.id,
      reason: 'abandoned',
      now: () => isoTime(settings.now()),
      showError: ticketErrorShower(runtime, writer.ticket),
      observer,
    });
  } finally {
    stopHeartbeat();
  }
}
