import type { ExecutionStep } from '../model/ticket.js';
import type { CompensationContext, ToolDefinition } from '../model/tool.js';
import type { TicketEvent } from '../store/ticket-event.js';
import { backoffDelay, raceAbort, sleep } from '../util/sleep.js';
import { describeError, ToolTimeoutError } from './execution-errors.js';

/** Attempts per compensation before the ticket is handed to a human. */
export const COMPENSATION_ATTEMPTS = 3;

export interface CompensationReport {
  events: TicketEvent[];
  /** False when at least one compensation failed every attempt (or its tool is unknown). */
  complete: boolean;
}

/**
 * Undoes the started steps of an execution in reverse order (E3, E4). Every step that may
 * have taken effect is compensated — the failed one too, and one whose outcome is unknown
 * (its output is then `undefined`). Each compensation is retried a few times; one that
 * still fails is recorded and the others still run.
 */
export async function compensateSteps(input: {
  steps: readonly ExecutionStep[];
  tools: ReadonlyMap<string, ToolDefinition>;
  ticketId: string;
  reason: CompensationContext['reason'];
  at: () => string;
}): Promise<CompensationReport> {
  const events: TicketEvent[] = [];
  let complete = true;
  const started = input.steps.filter((step) => step.state === 'started' || step.state === 'completed');
  for (const step of [...started].reverse()) {
    const tool = input.tools.get(step.tool);
    if (!tool) {
      complete = false;
      events.push({ type: 'compensation.failed', at: input.at(), data: { step: step.index, tool: step.tool, key: step.key, error: 'the tool is not declared by any workflow of this agent' } });
      continue;
    }
    if (!tool.compensate) {
      events.push({ type: 'step.not_compensable', at: input.at(), data: { step: step.index, tool: step.tool, key: step.key } });
      continue;
    }
    const output = step.state === 'completed' ? step.output : undefined;
    let lastError = '';
    let done = false;
    for (let attempt = 1; attempt <= COMPENSATION_ATTEMPTS && !done; attempt += 1) {
      const timeout = AbortSignal.timeout(tool.timeoutMs);
      try {
        const context: CompensationContext = { idempotencyKey: step.key, signal: timeout, ticketId: input.ticketId, reason: input.reason };
        const running = Promise.resolve().then(() => tool.compensate!(step.input, output, context));
        await raceAbort(running, timeout, () => new ToolTimeoutError(`${tool.name} (compensate)`, tool.timeoutMs));
        done = true;
        events.push({ type: 'step.compensated', at: input.at(), data: { step: step.index, tool: step.tool, key: step.key, attempts: attempt, outcomeKnown: step.state === 'completed' } });
      } catch (error) {
        lastError = describeError(error);
        if (attempt < COMPENSATION_ATTEMPTS) await sleep(backoffDelay(attempt, 100, 1_000));
      }
    }
    if (!done) {
      complete = false;
      events.push({ type: 'compensation.failed', at: input.at(), data: { step: step.index, tool: step.tool, key: step.key, attempts: COMPENSATION_ATTEMPTS, error: lastError } });
    }
  }
  return { events, complete };
}
