import { compensateSteps } from '../execute/compensate-steps.js';
import { isoNow } from '../execute/execution-deps.js';
import { ClaimLostError } from '../execute/execution-errors.js';
import { executeWorkflow } from '../execute/execute-workflow.js';
import { rollBackExecution } from '../execute/finish-execution.js';
import { TicketWriter } from '../execute/ticket-writer.js';
import { transitionStatus } from '../lifecycle/ticket-lifecycle.js';
import { InvalidArgumentError, TicketStateError } from '../errors/ticketflow-error.js';
import type { Action } from '../model/action.js';
import type { TicketDoc } from '../model/ticket.js';
import type { TicketEvent } from '../store/ticket-event.js';
import type { LoadedTicket } from '../store/ticket-store.js';
import type { Engine } from './engine.js';
import type { Notification } from './process-message.js';
import { appendTranscript, toView } from './ticket-document.js';
import type { ApprovalResult } from './turn-result.js';

/** Who decided on a pending approval, and why. Recorded in the ticket's events. */
export interface ApprovalDecision {
  /** The approver's id (1–256 characters). */
  by: string;
  note?: string;
}

type ApprovalOutcome = { type: 'conflict' } | { type: 'done'; result: ApprovalResult; events: TicketEvent[]; notifications: Notification[] };

/**
 * Approves or rejects the step a ticket's execution waits on. Both first claim the ticket
 * (compare-and-set, with a lease) and record the approver. `approve` re-runs the workflow,
 * replaying the journaled steps and running the approved one; `reject` compensates the
 * steps already run and closes the execution.
 */
export async function decideApproval(engine: Engine, loaded: LoadedTicket, decision: ApprovalDecision, verdict: 'approve' | 'reject'): Promise<ApprovalOutcome> {
  const by = checkDecision(decision);
  const { deps, registry } = engine;
  const ticket = loaded.ticket;
  const execution = ticket.execution;
  const pending = execution?.steps.find((step) => step.state === 'awaiting_approval');
  if (ticket.status !== 'awaiting_approval' || !execution || !pending) {
    throw new TicketStateError({ message: `ticket ${JSON.stringify(ticket.id)} is not awaiting approval (status ${ticket.status})`, status: ticket.status });
  }
  const at = isoNow(deps);
  const approval = { by, ...(decision.note !== undefined ? { note: decision.note } : {}), at };
  const status = transitionStatus(ticket.status, { type: 'claim_for_decision' });
  const claimed: TicketDoc = {
    ...ticket,
    updatedAt: at,
    status,
    execution: {
      ...execution,
      owner: deps.instanceId,
      leaseExpiresAt: deps.now() + deps.leaseMs,
      steps: execution.steps.map((step) => (step === pending ? { ...step, state: verdict === 'approve' ? 'approved' : 'awaiting_approval', approval } : step)),
    },
  };
  const events: TicketEvent[] = [
    { type: verdict === 'approve' ? 'approval.granted' : 'approval.rejected', at, data: { workflow: execution.workflow, step: pending.index, tool: pending.tool, key: pending.key, ...approval } },
    { type: 'status.changed', at, data: { from: ticket.status, to: status, cause: verdict } },
  ];
  const writer = new TicketWriter(deps.store, ticket, loaded.version);
  try {
    await writer.commit(claimed, events);
  } catch (error) {
    if (error instanceof ClaimLostError) return { type: 'conflict' };
    throw error;
  }

  const workflow = registry.workflows.get(execution.workflow);
  if (verdict === 'approve' && workflow) {
    const result = await executeWorkflow(deps, writer, workflow, null);
    let action: Action;
    let reply: string;
    const notifications: Notification[] = [];
    if (result.type === 'finished') {
      action = result.finished.action;
      reply = result.finished.reply;
      notifications.push(
        result.failed
          ? { name: 'execution.failed', payload: { ticketId: ticket.id, workflow: workflow.name, error: result.error ?? '', compensated: action.type === 'execute' && action.outcome === 'failed' } }
          : { name: 'execution.completed', payload: { ticketId: ticket.id, workflow: workflow.name, outcome: action.type === 'execute' ? action.outcome : action.type } },
      );
    } else if (result.type === 'parked') {
      action = { type: 'execute', workflow: workflow.name, outcome: 'awaiting_approval' };
      reply = deps.replies.approvalRequested;
      const next = writer.ticket.execution?.steps.find((step) => step.state === 'awaiting_approval');
      notifications.push({ name: 'approval.requested', payload: { ticketId: ticket.id, workflow: workflow.name, tool: next?.tool ?? '', input: next?.input } });
      const replyAt = isoNow(deps);
      await writer
        .commit({ ...writer.ticket, transcript: appendTranscript(writer.ticket.transcript, [{ role: 'agent', text: reply, at: replyAt, turn: execution.turn }], deps.transcriptWindow) }, [
          { type: 'reply.sent', at: replyAt, data: { action, reply } },
        ])
        .catch((error: unknown) => {
          if (!(error instanceof ClaimLostError)) throw error;
        });
    } else {
      action = { type: 'execute', workflow: workflow.name, outcome: 'failed', reason: 'claim_lost' };
      reply = deps.replies.executionFailed;
    }
    return { type: 'done', result: { ticketId: ticket.id, reply, action, ticket: toView(writer.ticket, writer.version ?? 0) }, events: writer.committedEvents, notifications };
  }

  // Rejected (or the workflow is no longer declared): undo what already ran.
  const compensation = await compensateSteps({ steps: writer.ticket.execution!.steps, tools: registry.tools, ticketId: ticket.id, reason: 'rejected', at: () => isoNow(deps) });
  const reason = verdict === 'reject' ? 'rejected' : 'failed';
  const finished = rollBackExecution(deps, writer.ticket, workflow, compensation, { error: verdict === 'reject' ? `rejected by ${by}` : `workflow "${execution.workflow}" is not declared`, reason }, null, []);
  try {
    await writer.commit(finished.ticket, finished.events);
  } catch (error) {
    if (error instanceof ClaimLostError) return { type: 'conflict' };
    throw error;
  }
  return {
    type: 'done',
    result: { ticketId: ticket.id, reply: finished.reply, action: finished.action, ticket: toView(writer.ticket, writer.version ?? 0) },
    events: writer.committedEvents,
    notifications: [{ name: 'execution.failed', payload: { ticketId: ticket.id, workflow: execution.workflow, error: reason, compensated: compensation.complete } }],
  };
}

/** Checks `{ by, note? }` of a human decision; returns `by`. @throws {InvalidArgumentError} */
export function checkDecision(decision: ApprovalDecision): string {
  if (typeof decision !== 'object' || decision === null) throw new InvalidArgumentError({ argument: 'decision', message: 'approve/reject take { by, note? }' });
  const { by, note } = decision;
  if (typeof by !== 'string' || by.trim() === '' || by.length > 256) throw new InvalidArgumentError({ argument: 'by', message: 'must name the approver (1–256 characters)' });
  if (note !== undefined && (typeof note !== 'string' || note.length > 4_000)) throw new InvalidArgumentError({ argument: 'note', message: 'must be a string of at most 4,000 characters' });
  return by;
}
