import { readTicket } from '../document/ticket-document.js';
import { type Draft, record } from '../events/draft.js';
import type { OperationObserver } from '../events/instrumentation.js';
import { abandonExecution } from '../execute/abandon-execution.js';
import { ClaimLostError } from '../execute/execution-errors.js';
import { undoClaimedExecution } from '../execute/execute-workflow.js';
import type { FinishedExecution } from '../execute/execution-drafts.js';
import { TicketWriter } from '../execute/ticket-writer.js';
import { changeStatus } from '../lifecycle/change-status.js';
import type { Runtime } from '../runtime/runtime.js';
import type { LoadedTicket } from '../store/ticket-store.js';
import { isoTime } from '../util/iso-time.js';
import { sleep } from '../util/sleep.js';
import { finishTurn } from './finish-turn.js';
import { recoverExecution } from './recover-execution.js';
import { withPlainSensitiveSealed } from './seal-plain-sensitive.js';

/** What `agent.recover` did. */
export interface RecoveryReport {
  /** Executions whose worker stopped, compensated and rolled back (E4). */
  recovered: number;
  /** Approvals that waited longer than `approvalTimeoutMs`, handed to a human. */
  approvalsExpired: number;
  /** Procedures that waited for the customer longer than `inputTimeoutMs`, left per `onAbandon`. */
  inputsExpired: number;
  /** Claims still renewed by a live worker, left alone. */
  live: number;
}

/** Runs one ticket's work under the agent's per-ticket lock; resolves with what happened. */
export type TicketLock = <T>(ticketId: string, work: () => Promise<T>) => Promise<T>;

/**
 * The sweeper (E7): nothing waits for the customer to write again. Finishes every execution
 * whose claim was abandoned — watching a claim whose lease lapsed for up to one lease, so a
 * live worker (whatever its clock says) is never taken over — expires approvals older than
 * `approvalTimeoutMs` and procedures waiting longer than `inputTimeoutMs`. Safe from many
 * processes at once: every change is a compare-and-set, so each ticket is handled once.
 */
export async function recoverTickets(
  runtime: Runtime,
  options: { limit: number },
  lock: TicketLock,
  observe: (ticketId: string) => OperationObserver | undefined,
): Promise<RecoveryReport> {
  const report: RecoveryReport = { recovered: 0, approvalsExpired: 0, inputsExpired: 0, live: 0 };
  const now = runtime.settings.now();
  const executing = await runtime.store.list({ status: 'executing', limit: options.limit });
  let suspects: string[] = [];
  let waitMs = 0;
  for (const summary of executing.tickets) {
    const state = await lock(summary.ticketId, () => recoverOne(runtime, summary.ticketId, observe));
    if (state.state === 'recovered') report.recovered += 1;
    if (state.state === 'watching' && summary.claimExpiresAt !== null && Date.parse(summary.claimExpiresAt) <= now) {
      suspects.push(summary.ticketId);
      waitMs = Math.max(waitMs, state.waitMs);
    } else if (state.state === 'watching') report.live += 1;
  }
  // Expiries first: watching the suspects below takes up to a lease, and a timeout should not wait for it.
  report.approvalsExpired = await expireWaiting(runtime, 'awaiting_approval', options.limit, lock, observe);
  report.inputsExpired = await expireWaiting(runtime, 'awaiting_input', options.limit, lock, observe);
  if (suspects.length > 0) {
    await sleep(waitMs + 5);
    for (const ticketId of suspects) {
      const state = await lock(ticketId, () => recoverOne(runtime, ticketId, observe));
      if (state.state === 'recovered') report.recovered += 1;
      else if (state.state === 'watching') report.live += 1;
    }
    suspects = [];
  }
  return report;
}

type OneRecovery = { state: 'recovered' | 'settled' } | { state: 'watching'; waitMs: number };

async function recoverOne(runtime: Runtime, ticketId: string, observe: (ticketId: string) => OperationObserver | undefined): Promise<OneRecovery> {
  const stored = await runtime.store.load(ticketId);
  if (!stored) return { state: 'settled' };
  const loaded: LoadedTicket = { ticket: withPlainSensitiveSealed(runtime, readTicket(stored.ticket, ticketId)), version: stored.version };
  const claim = runtime.claims.assess(ticketId, loaded.version, loaded.ticket.execution, runtime.settings.instanceId);
  if (claim.state === 'none') return { state: 'settled' };
  if (claim.state === 'live') return { state: 'watching', waitMs: claim.waitMs };
  const observer = observe(ticketId);
  const recovered = await recoverExecution(runtime, loaded, claim.observedMs, observer);
  observer?.ended({
    turn: loaded.ticket.turn,
    action: null,
    intent: loaded.ticket.intent,
    confidence: null,
    version: recovered?.version ?? null,
    degraded: false,
    duplicate: false,
  });
  return { state: recovered ? 'recovered' : 'settled' };
}

/** Expires the approvals or awaited inputs that waited too long; returns how many. */
async function expireWaiting(
  runtime: Runtime,
  status: 'awaiting_approval' | 'awaiting_input',
  limit: number,
  lock: TicketLock,
  observe: (ticketId: string) => OperationObserver | undefined,
): Promise<number> {
  const timeoutMs = status === 'awaiting_approval' ? runtime.settings.approvalTimeoutMs : runtime.settings.inputTimeoutMs;
  if (!Number.isFinite(timeoutMs)) return 0;
  let expired = 0;
  let cursor: string | null = null;
  do {
    const page = await runtime.store.list({ status, limit: Math.min(limit, 1_000), ...(cursor ? { cursor } : {}) });
    for (const summary of page.tickets) {
      if (expired >= limit) return expired;
      if (await lock(summary.ticketId, () => expireOne(runtime, summary.ticketId, status, timeoutMs, observe(summary.ticketId)))) expired += 1;
    }
    cursor = page.cursor;
  } while (cursor !== null && expired < limit);
  return expired;
}

/**
 * Expires the ticket's approval or awaited answer now, whatever its age (what a recorded
 * `approval.expired` / `input.expired` did, for `replayTicket`). True when it expired.
 */
export function expireWaitingNow(runtime: Runtime, ticketId: string, status: 'awaiting_approval' | 'awaiting_input', waitedMs: number): Promise<boolean> {
  return expireOne(runtime, ticketId, status, Number.NEGATIVE_INFINITY, undefined, waitedMs);
}

async function expireOne(
  runtime: Runtime,
  ticketId: string,
  status: 'awaiting_approval' | 'awaiting_input',
  timeoutMs: number,
  observer: OperationObserver | undefined,
  recordedWaitMs?: number,
): Promise<boolean> {
  const stored = await runtime.store.load(ticketId);
  if (!stored) return false;
  const ticket = withPlainSensitiveSealed(runtime, readTicket(stored.ticket, ticketId));
  const execution = ticket.execution;
  if (ticket.status !== status || !execution) return false;
  const since = status === 'awaiting_approval' ? execution.steps.find((step) => step.state === 'awaiting_approval')?.startedAt : execution.awaiting?.since;
  const waitedMs = recordedWaitMs ?? runtime.settings.now() - Date.parse(since ?? ticket.updatedAt);
  if (!(waitedMs > timeoutMs)) return false;
  const writer = new TicketWriter(runtime.store, ticket, stored.version, runtime.settings.elapsed);
  const at = isoTime(runtime.settings.now());
  const draft: Draft = { ticket: { ...ticket, updatedAt: at }, events: [], at };
  try {
    if (status === 'awaiting_approval') await expireApproval(runtime, writer, draft, waitedMs, observer);
    else await expireInput(runtime, writer, draft, waitedMs);
  } catch (error) {
    if (!(error instanceof ClaimLostError)) throw error;
  }
  // The expiry is committed with the claim, before any undo: if another worker took the claim
  // over during a slow undo (and finishes it), the expiry still happened — counted, and its
  // committed events told to the hooks.
  const expiry = status === 'awaiting_approval' ? 'approval.expired' : 'input.expired';
  if (writer.committedEvents.length > 0) runtime.hooks.notify(ticketId, writer.committedEvents, null);
  observer?.ended({ turn: ticket.turn, action: null, intent: ticket.intent, confidence: null, version: writer.version, degraded: false, duplicate: false });
  return writer.committedEvents.some((event) => event.type === expiry);
}

async function expireApproval(runtime: Runtime, writer: TicketWriter, draft: Draft, waitedMs: number, observer: OperationObserver | undefined): Promise<void> {
  const execution = draft.ticket.execution!;
  const step = execution.steps.find((candidate) => candidate.state === 'awaiting_approval')!;
  record(draft, 'approval.expired', { workflow: execution.workflow, step: step.index, tool: step.tool, key: step.key, waitedMs });
  changeStatus(draft, { type: 'claim' }, 'expire');
  const { settings } = runtime;
  draft.ticket.execution = { ...execution, owner: settings.instanceId, leaseExpiresAt: settings.now() + settings.leaseMs, leaseMs: settings.leaseMs };
  writer.stage(draft.ticket, draft.events);
  const finish = (finished: FinishedExecution) => finishTurn(runtime, finished.draft, finished.outcome, { kind: 'sweeper' }, execution.turn);
  const exec = observer?.execution?.({ workflow: execution.workflow, executionId: execution.id, turn: execution.turn, resumed: true });
  await undoClaimedExecution(
    { runtime, writer, workflow: runtime.registry.workflows.get(execution.workflow), observer: exec, finish },
    'expired',
    `the approval waited ${Math.round(waitedMs / 1000)} s`,
  );
}

async function expireInput(runtime: Runtime, writer: TicketWriter, draft: Draft, waitedMs: number): Promise<void> {
  const execution = draft.ticket.execution!;
  record(draft, 'input.expired', { workflow: execution.workflow, slot: execution.awaiting?.slot ?? '', waitedMs });
  const left = await abandonExecution(runtime, writer, draft, 'timeout');
  const finished = finishTurn(
    runtime,
    left,
    { action: { type: 'cancelled', workflow: execution.workflow, reason: 'input_timeout' }, reply: runtime.settings.replies.inputExpired, actedOn: false },
    { kind: 'sweeper' },
    draft.ticket.turn,
  );
  await writer.write(() => finished.ticket, finished.events);
}
