import { toView } from '../document/ticket-document.js';
import { InvalidArgumentError, TicketStateError } from '../errors/ticketflow-error.js';
import { type Draft, record } from '../events/draft.js';
import type { OperationObserver } from '../events/instrumentation.js';
import type { FinishedExecution } from '../execute/execution-drafts.js';
import { type ExecutionEnd, executeWorkflow, undoClaimedExecution } from '../execute/execute-workflow.js';
import { TicketWriter } from '../execute/ticket-writer.js';
import { changeStatus } from '../lifecycle/change-status.js';
import type { TicketDoc } from '../model/ticket.js';
import { redactOrWithhold } from '../runtime/redact-or-withhold.js';
import type { Runtime } from '../runtime/runtime.js';
import { maskText, sensitiveValues } from '../runtime/sensitive-values.js';
import { StoreError } from '../store/store-error.js';
import type { LoadedTicket } from '../store/ticket-store.js';
import { isoTime } from '../util/iso-time.js';
import { finishTurn, shownReply } from './finish-turn.js';
import { loadSettled } from './load-settled.js';
import { asOperationFailure } from './partly-applied.js';
import type { ApprovalResult } from './turn-result.js';
import { hasLoneSurrogate } from '../util/lone-surrogate.js';
import { codePointLength } from '../util/code-points.js';

/** Who decided on a pending approval (or a release), and why. Recorded in the ticket's events. */
export interface ApprovalDecision {
  /** The person's id (1–256 characters). */
  by: string;
  note?: string | undefined;
}

/**
 * Approves or rejects the step a ticket's execution waits on. Both first claim the ticket
 * (compare-and-set, with a lease) and record who decided. `approve` re-runs the workflow,
 * replaying the journaled steps and running the approved one; `reject` compensates the
 * steps already run and closes the execution.
 * @throws {TicketStateError} when the ticket does not exist or is not awaiting approval.
 */
export async function decideApproval(
  runtime: Runtime,
  ticketId: string,
  decision: ApprovalDecision,
  verdict: 'approve' | 'reject',
  observer: OperationObserver | undefined,
): Promise<ApprovalResult> {
  const by = checkDecision(decision);
  for (let attempt = 0; ; attempt += 1) {
    const loaded = await loadSettled(runtime, ticketId, observer);
    if (!loaded) throw new TicketStateError({ message: `ticket ${JSON.stringify(ticketId.slice(0, 80))} does not exist`, status: null });
    const writer = new TicketWriter(runtime.store, loaded.ticket, loaded.version, runtime.settings.elapsed);
    const end = await claimAndDecide(runtime, writer, loaded, recordedDecision(runtime, loaded.ticket, by, decision.note), verdict, observer).catch(
      (error: unknown) => {
        throw asOperationFailure(error, writer);
      },
    );
    if (end.type === 'gone')
      throw new TicketStateError({ code: 'ticket_erased', status: null, message: `ticket ${JSON.stringify(ticketId.slice(0, 80))} was erased meanwhile` });
    if (end.type === 'done') {
      runtime.hooks.notify(ticketId, writer.committedEvents, null);
      observer?.committed?.(writer.committedEvents);
      return {
        ticketId,
        reply: shownReply(runtime, end.outcome.reply, writer.ticket),
        action: end.outcome.action,
        ticket: toView(writer.ticket, writer.version ?? 0),
      };
    }
    observer?.event?.('conflict', { attempt: attempt + 1 });
    if (attempt >= runtime.settings.maxConflictRetries)
      throw new StoreError({ kind: 'conflict', adapter: 'core', outcome: 'not_applied', message: 'ticket stayed contended; retry later' });
  }
}

async function claimAndDecide(
  runtime: Runtime,
  writer: TicketWriter,
  loaded: LoadedTicket,
  approval: { by: string; note?: string },
  verdict: 'approve' | 'reject',
  observer: OperationObserver | undefined,
): Promise<ExecutionEnd> {
  const { ticket } = loaded;
  const execution = ticket.execution;
  const pending = execution?.steps.find((step) => step.state === 'awaiting_approval');
  if (ticket.status !== 'awaiting_approval' || !execution || !pending) {
    throw new TicketStateError({ message: `ticket ${JSON.stringify(ticket.id)} is not awaiting approval (status ${ticket.status})`, status: ticket.status });
  }
  const at = isoTime(runtime.settings.now());
  const decided = { ...approval, at };
  const draft: Draft = { ticket: { ...ticket, updatedAt: at }, events: [], at };
  const ref = { workflow: execution.workflow, step: pending.index, tool: pending.tool, key: pending.key, ...decided };
  record(draft, verdict === 'approve' ? 'approval.granted' : 'approval.rejected', ref);
  changeStatus(draft, { type: 'claim' }, verdict);
  const { settings } = runtime;
  const steps = execution.steps.map((step) =>
    step === pending ? { ...step, state: verdict === 'approve' ? ('approved' as const) : step.state, approval: decided } : step,
  );
  draft.ticket.execution = { ...execution, owner: settings.instanceId, leaseExpiresAt: settings.now() + settings.leaseMs, leaseMs: settings.leaseMs, steps };
  writer.stage(draft.ticket, draft.events);
  observer?.event?.('approval', { verdict, version: loaded.version });
  const workflow = runtime.registry.workflows.get(execution.workflow);
  const exec = observer?.execution?.({ workflow: execution.workflow, executionId: execution.id, turn: execution.turn, resumed: true });
  const finish = (finished: FinishedExecution) => finishTurn(runtime, finished.draft, finished.outcome, { kind: 'operator' }, execution.turn);
  if (verdict === 'approve' && workflow) return executeWorkflow({ runtime, writer, workflow, observer: exec, finish });
  const why = verdict === 'reject' ? `rejected by ${approval.by}` : `workflow "${execution.workflow}" is not declared`;
  return undoClaimedExecution({ runtime, writer, workflow, observer: exec, finish }, verdict === 'reject' ? 'rejected' : 'failed', why);
}

/**
 * `{ by, note? }` as the ticket's events keep it. The note is free text a person typed (a
 * customer's card number pasted in, a memorable word quoted back), so it is treated like a
 * customer's message before it is stored or evented: passed through the app's `redact` (P2) and
 * masked of the ticket's sensitive values (P1).
 */
export function recordedDecision(runtime: Runtime, ticket: TicketDoc, by: string, note: string | undefined): { by: string; note?: string } {
  if (note === undefined) return { by };
  return { by, note: maskText(redactOrWithhold(runtime, note), sensitiveValues(runtime, ticket)) };
}

/** The longest note of a human decision, in code points (as JSON Schema's `maxLength` counts; an emoji is one). */
const MAX_NOTE_CHARACTERS = 4_000;

/** Checks `{ by, note? }` of a human decision; returns `by`. @throws {InvalidArgumentError} */
export function checkDecision(decision: ApprovalDecision): string {
  if (typeof decision !== 'object' || decision === null)
    throw new InvalidArgumentError({ argument: 'decision', message: 'approve/reject/release take { by, note? }' });
  const { by, note } = decision;
  if (typeof by !== 'string' || by.trim() === '' || by.length > 256 || /[\u0000-\u001f\u007f-\u009f]/.test(by) || hasLoneSurrogate(by))
    throw new InvalidArgumentError({ argument: 'by', message: 'must name the person (1–256 characters of well-formed Unicode, no control characters)' });
  if (
    note !== undefined &&
    (typeof note !== 'string' ||
      (note.length > MAX_NOTE_CHARACTERS && codePointLength(note) > MAX_NOTE_CHARACTERS) ||
      note.includes('\u0000') ||
      hasLoneSurrogate(note))
  )
    throw new InvalidArgumentError({ argument: 'note', message: 'must be a string of at most 4,000 characters of well-formed Unicode, without NUL' });
  const unknown = Object.keys(decision).filter((key) => key !== 'by' && key !== 'note');
  if (unknown.length > 0)
    throw new InvalidArgumentError({ argument: 'decision', message: `unknown field ${JSON.stringify(unknown[0])} (takes { by, note? })` });
  return by;
}
