import { transitionStatus } from '../lifecycle/ticket-lifecycle.js';
import type { ExecutionStep, TicketDoc } from '../model/ticket.js';
import type { ToolDefinition } from '../model/tool.js';
import type { WorkflowContext, WorkflowDefinition, WorkflowResult } from '../model/workflow.js';
import { slotValues } from '../policy/policy-context.js';
import type { TicketEvent } from '../store/ticket-event.js';
import { deepEqual } from '../util/deep-equal.js';
import { toView } from '../agent/ticket-document.js';
import { type ExecutionDeps, isoNow } from './execution-deps.js';
import {
  ApprovalPause,
  ClaimLostError,
  describeError,
  InvalidWorkflowResultError,
  NondeterministicWorkflowError,
  ToolInputError,
  ToolNotAllowedError,
  ToolOutputError,
} from './execution-errors.js';
import { AbortLatch } from '../util/abort-latch.js';
import { runToolStep } from './run-tool-step.js';
import type { TicketWriter } from './ticket-writer.js';

/** How running the workflow's code ended. */
export type WorkflowRun =
  | { type: 'returned'; result: WorkflowResult; steps: ExecutionStep[]; pendingEvents: TicketEvent[] }
  | { type: 'failed'; error: unknown; steps: ExecutionStep[]; pendingEvents: TicketEvent[] }
  | { type: 'parked' }
  | { type: 'lost'; steps: ExecutionStep[] }
  | { type: 'conflict' };

/** The idempotency key of a step: ticket id, turn and step index (E5). */
export function idempotencyKey(ticketId: string, turn: number, index: number): string {
  return `${ticketId}:${turn}:${index}`;
}

/**
 * Runs a workflow's code with the journaled `ctx.call`. The writer's ticket must hold the
 * claim (status `executing`, an execution record). Each call is validated, journaled as
 * *started* before the tool runs (write-ahead, renewing the lease), then run with its
 * timeout and retries. Steps already completed in the journal are replayed (an approved
 * execution re-runs `run` from the start); a step that needs approval parks the execution.
 */
export async function runWorkflow(deps: ExecutionDeps, writer: TicketWriter, workflow: WorkflowDefinition): Promise<WorkflowRun> {
  const ticket = writer.ticket;
  const execution = ticket.execution!;
  const steps: ExecutionStep[] = execution.steps.map((step) => ({ ...step }));
  const pendingEvents: TicketEvent[] = [];
  const abort = new AbortLatch();
  let cursor = 0;
  let parked = false;
  let lost = false;
  let conflict = false;

  const journal = async (events: TicketEvent[], change: (ticket: TicketDoc) => TicketDoc = (current) => current): Promise<void> => {
    const base: TicketDoc = {
      ...writer.ticket,
      updatedAt: isoNow(deps),
      execution: { ...writer.ticket.execution!, steps: steps.map((step) => ({ ...step })), leaseExpiresAt: deps.now() + deps.leaseMs },
    };
    try {
      await writer.commit(change(base), pendingEvents.splice(0).concat(events));
    } catch (error) {
      if (error instanceof ClaimLostError) {
        if (error.beforeClaim) conflict = true;
        else lost = true;
        abort.abort(error);
      }
      throw error;
    }
  };

  const call = async <I, O>(tool: ToolDefinition<I, O>, rawInput: NoInfer<I>): Promise<O> => {
    if (parked) throw new ApprovalPause();
    if (lost || conflict || abort.aborted) throw abort.reason ?? new ClaimLostError(ticket.id);
    if (!workflow.tools.includes(tool as ToolDefinition<any, any>)) throw new ToolNotAllowedError(tool?.name ?? String(tool), workflow.name);
    const index = cursor;
    cursor += 1;
    const parsedInput = tool.input.safeParse(rawInput);
    if (!parsedInput.success) throw new ToolInputError(tool.name, parsedInput.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; '));
    const input = parsedInput.data;
    const key = idempotencyKey(ticket.id, execution.turn, index);
    const recorded = steps[index];
    if (recorded) {
      if (recorded.tool !== tool.name || !deepEqual(recorded.input, input)) {
        throw new NondeterministicWorkflowError(`step ${index} was ${recorded.tool} with other input in the journal; workflow code must be deterministic`);
      }
      if (recorded.state === 'completed') return recorded.output as O;
      if (recorded.state !== 'approved') throw new NondeterministicWorkflowError(`step ${index} (${recorded.tool}) is ${recorded.state} in the journal`);
    } else if (needsApproval(tool, input)) {
      steps[index] = { index, tool: tool.name, key, input, state: 'awaiting_approval', attempts: 0 };
      parked = true;
      await journal([{ type: 'approval.requested', at: isoNow(deps), data: { workflow: workflow.name, step: index, tool: tool.name, key, input } }], (next) => ({
        ...next,
        status: transitionStatus(next.status, { type: 'await_approval' }),
        execution: { ...next.execution!, leaseExpiresAt: null },
      }));
      throw new ApprovalPause();
    }

    steps[index] = { ...(recorded ?? {}), index, tool: tool.name, key, input, state: 'started', attempts: 1 };
    try {
      await journal([{ type: 'step.started', at: isoNow(deps), data: { step: index, tool: tool.name, key, input } }]);
    } catch (error) {
      // Not journaled, so not run: nothing of this step can need compensating.
      if (recorded) steps[index] = recorded;
      else steps.length = index;
      throw error;
    }
    let raw: { output: unknown; attempts: number };
    try {
      raw = await runToolStep({
        tool: tool as ToolDefinition,
        input,
        idempotencyKey: key,
        ticketId: ticket.id,
        execution: abort,
        delays: deps.toolDelays,
        beforeRetry: async (attempt, error) => {
          steps[index] = { ...steps[index]!, attempts: attempt };
          await journal([{ type: 'step.retried', at: isoNow(deps), data: { step: index, tool: tool.name, key, attempt, error } }]);
        },
      });
    } catch (error) {
      pendingEvents.push({ type: 'step.failed', at: isoNow(deps), data: { step: index, tool: tool.name, key, attempts: steps[index]!.attempts, error: describeError(error) } });
      throw error;
    }
    const parsedOutput = tool.output.safeParse(raw.output);
    if (!parsedOutput.success) {
      const error = new ToolOutputError(tool.name, parsedOutput.error.issues.map((issue) => `${issue.path.join('.') || 'output'}: ${issue.message}`).join('; '));
      pendingEvents.push({ type: 'step.failed', at: isoNow(deps), data: { step: index, tool: tool.name, key, attempts: raw.attempts, error: error.message } });
      throw error;
    }
    steps[index] = { ...steps[index]!, state: 'completed', output: parsedOutput.data, attempts: raw.attempts };
    pendingEvents.push({ type: 'step.completed', at: isoNow(deps), data: { step: index, tool: tool.name, key, attempts: raw.attempts, output: parsedOutput.data } });
    return parsedOutput.data;
  };

  const context: WorkflowContext = {
    slots: Object.freeze(slotValues(ticket)),
    ticket: toView(ticket, writer.version ?? 0),
    get signal() {
      return abort.signal;
    },
    call,
  };

  let outcome: WorkflowRun;
  try {
    const result = await workflow.run(context);
    outcome = { type: 'returned', result: checkResult(workflow, result), steps, pendingEvents };
  } catch (error) {
    outcome = { type: 'failed', error, steps, pendingEvents };
  }
  if (conflict) return { type: 'conflict' };
  if (lost) return { type: 'lost', steps };
  if (parked) return { type: 'parked' };
  return outcome;
}

function needsApproval(tool: ToolDefinition<any, any>, input: unknown): boolean {
  if (typeof tool.requiresApproval === 'function') {
    try {
      return tool.requiresApproval(input) === true;
    } catch {
      return true;
    }
  }
  return tool.requiresApproval === true;
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
