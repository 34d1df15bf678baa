import { eventOf } from '../events/draft.js';
import type { ExecutionObserver } from '../events/instrumentation.js';
import type { TicketEvent, UndoReason } from '../events/ticket-event-map.js';
import type { ExecutionRecord, ExecutionStep } from '../model/ticket.js';
import type { AnyToolDefinition, CompensationContext } from '../model/tool.js';
import type { ToolRunner } from '../runtime/runtime.js';
import { readStored } from '../model/json-value.js';
import { withRetries } from '../util/retry.js';
import { withDeadline } from '../util/deadline.js';
import { ToolTimeoutError } from './execution-errors.js';
import type { ShowError } from './shown-error.js';

/** Attempts per compensation before the ticket is handed to a human. */
export const COMPENSATION_ATTEMPTS = 3;

/** One call to undo. */
export interface UndoableCall {
  index: number;
  tool: string;
  key: string;
  /** The call's real input (opened when it was sealed): what `compensate` receives. */
  input: unknown;
  /** The input as the journal shows it (sensitive values masked, P1): what instrumentation gets. */
  shownInput: unknown;
  /** The call's output, or undefined when its outcome is unknown (started, failed or timed out). */
  output: unknown;
  outcomeKnown: boolean;
}

/** What compensating produced: the events explaining it, and whether every call was undone. */
export interface CompensationReport {
  events: TicketEvent[];
  /** False when at least one compensation failed every attempt (or its tool is unknown). */
  complete: boolean;
}

/** How to read a journaled step's real input and output (sealed ones opened, P1). */
export type RevealStep = (step: ExecutionStep) => { input: unknown; output: unknown };

/**
 * What an execution may have done, as calls to undo (in order): the calls of the run it
 * supersedes while that supersede is unfinished (E2a), then every journal step that may have
 * taken effect.
 */
export function undoableCalls(execution: ExecutionRecord, reveal: RevealStep = (step) => ({ input: step.input, output: step.output })): UndoableCall[] {
  const superseded = (execution.supersedes?.calls ?? []).map((call, index) => ({
    index: -1 - index,
    tool: call.tool,
    key: call.key,
    ...reveal({ ...call, index: -1 - index, state: 'completed', attempts: 1 }),
    shownInput: call.input,
    outcomeKnown: true,
  }));
  const steps = execution.steps
    .filter((step) => step.state === 'started' || step.state === 'completed' || (step.state === 'failed' && step.ran !== false))
    .map((step) => {
      const real = reveal(step);
      return {
        index: step.index,
        tool: step.tool,
        key: step.key,
        input: real.input,
        shownInput: step.input,
        output: step.state === 'completed' ? real.output : undefined,
        outcomeKnown: step.state === 'completed',
      };
    });
  return [...superseded.reverse(), ...steps];
}

/**
 * Undoes calls in reverse order (E3, E4): each tool's `compensate`, with the call's
 * idempotency key, retried a few times; one that still fails is recorded and the others
 * still run. Never throws.
 */
export async function compensateCalls(input: {
  calls: readonly UndoableCall[];
  tools: ReadonlyMap<string, AnyToolDefinition>;
  ticketId: string;
  reason: UndoReason;
  now: () => string;
  /** How a failed compensation's error is shown (masked and redacted, P1/P2). */
  showError: ShowError;
  observer?: ExecutionObserver | undefined;
  runner?: ToolRunner | undefined;
}): Promise<CompensationReport> {
  const events: TicketEvent[] = [];
  let complete = true;
  for (const call of [...input.calls].reverse()) {
    const ref = { step: call.index, tool: call.tool, key: call.key };
    const tool = input.tools.get(call.tool);
    if (!tool) {
      complete = false;
      events.push(
        eventOf('compensation.failed', input.now(), { ...ref, error: 'the tool is not declared by any workflow of this agent', reason: input.reason }),
      );
      continue;
    }
    if (!tool.compensate) {
      events.push(eventOf('step.not_compensable', input.now(), { ...ref, reason: input.reason }));
      continue;
    }
    const observed = input.observer?.toolCall({
      tool: call.tool,
      step: call.index,
      key: call.key,
      input: call.shownInput,
      compensation: true,
      undoes: call.index,
    });
    const started = performance.now();
    try {
      const attempts = await undoOnce(tool, call, input.ticketId, input.reason, input.runner);
      const durationMs = Math.round(performance.now() - started);
      events.push(eventOf('step.compensated', input.now(), { ...ref, attempts, outcomeKnown: call.outcomeKnown, reason: input.reason, durationMs }));
      observed?.ended({ outcome: 'compensated', attempts });
    } catch (error) {
      complete = false;
      const shown = input.showError(error);
      events.push(eventOf('compensation.failed', input.now(), { ...ref, attempts: COMPENSATION_ATTEMPTS, error: shown, reason: input.reason }));
      observed?.ended({ outcome: 'compensation_failed', attempts: COMPENSATION_ATTEMPTS, error: shown });
    }
  }
  return { events, complete };
}

/** One compensation with its retries; resolves with the attempts it took. */
async function undoOnce(tool: AnyToolDefinition, call: UndoableCall, ticketId: string, reason: UndoReason, runner: ToolRunner | undefined): Promise<number> {
  let attempts = 0;
  // Stored forms are read with the tool's schemas, as `run` received them (a `z.coerce.date()` field is a `Date`).
  const input = readStored(tool.input, call.input);
  const output = call.outcomeKnown ? readStored(tool.output, call.output) : call.output;
  await withRetries(
    async (attempt) => {
      attempts = attempt;
      const deadline = withDeadline(tool.timeoutMs, undefined, { timeoutReason: () => new ToolTimeoutError(`${tool.name} (compensate)`, tool.timeoutMs) });
      const context: CompensationContext = { idempotencyKey: call.key, signal: deadline.signal, ticketId, reason };
      const running = Promise.resolve().then(() => (runner ? runner.compensate(tool, input, output, context) : tool.compensate!(input, output, context)));
      try {
        await deadline.race(running, () => deadline.signal.reason);
      } finally {
        deadline.dispose();
      }
    },
    { policy: { retries: COMPENSATION_ATTEMPTS - 1, minDelayMs: 100, maxDelayMs: 1_000 }, canRetry: () => true },
  );
  return attempts;
}
