import type { Agent } from '../agent/create-agent.js';
import type { TurnResult } from '../turn/turn-result.js';
import type { Action } from '../model/action.js';
import type { TicketStatus } from '../model/ticket.js';
import { deepEqual } from '../util/deep-equal.js';

/** One turn of a scenario: say this, expect that action and those slots. */
export interface ScenarioStep {
  /** The customer's message. */
  say: string;
  messageId?: string;
  /** Runs before the message is sent, e.g. to queue the mock LLM's answer. */
  before?: () => void | Promise<void>;
  expect?: {
    /** The action's type, or a partial action that must match (e.g. `{ type: 'ask', slot: 'region' }`). */
    action?: Action['type'] | Partial<Action>;
    /** Slot values that must be known after the turn. */
    slots?: Record<string, unknown>;
    /** Slots that must not be known after the turn. */
    missing?: readonly string[];
    intent?: string | null;
    status?: TicketStatus;
    /** The reply, exactly or by pattern. */
    reply?: string | RegExp;
  };
}

/** A scenario step did not go as expected. */
export class ScenarioError extends Error {
  constructor(
    readonly step: number,
    readonly say: string,
    readonly problems: readonly string[],
    readonly result: TurnResult,
  ) {
    super(`scenario step ${step} ("${say.slice(0, 60)}"):\n - ${problems.join('\n - ')}`);
    this.name = 'ScenarioError';
  }
}

/**
 * Plays a conversation against an agent and checks each turn; framework-agnostic (it
 * throws a {@link ScenarioError} listing every mismatch of the first failing step).
 *
 * @example
 * ```ts
 * await runScenario(agent, 'T-1', [
 *   { say: 'my fiber is down', before: () => llm.enqueue({ intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber' } }),
 *     expect: { action: { type: 'ask', slot: 'region' }, slots: { service_type: 'fiber' } } },
 *   { say: 'Berlin', before: () => llm.enqueue({ intent: null, confidence: 0, entities: { region: 'Berlin' } }),
 *     expect: { action: { type: 'execute', outcome: 'resolved' } } },
 * ]);
 * ```
 */
export async function runScenario(agent: Agent, ticketId: string, steps: readonly ScenarioStep[]): Promise<TurnResult[]> {
  const results: TurnResult[] = [];
  for (const [index, step] of steps.entries()) {
    await step.before?.();
    const result = await agent.handle({ ticketId, message: step.say, ...(step.messageId ? { messageId: step.messageId } : {}) });
    results.push(result);
    const problems = checkStep(step, result);
    if (problems.length > 0) throw new ScenarioError(index + 1, step.say, problems, result);
  }
  return results;
}

function checkStep(step: ScenarioStep, result: TurnResult): string[] {
  const problems: string[] = [];
  const expected = step.expect;
  if (!expected) return problems;
  if (expected.action !== undefined) {
    const wanted = typeof expected.action === 'string' ? { type: expected.action } : expected.action;
    for (const [key, value] of Object.entries(wanted)) {
      const actual = (result.action as Record<string, unknown>)[key];
      if (!deepEqual(actual, value))
        problems.push(`action.${key}: expected ${JSON.stringify(value)}, got ${JSON.stringify(actual)} (action ${JSON.stringify(result.action)})`);
    }
  }
  for (const [name, value] of Object.entries(expected.slots ?? {})) {
    const actual = result.ticket.slots[name]?.value;
    if (!deepEqual(actual, value)) problems.push(`slot ${name}: expected ${JSON.stringify(value)}, got ${JSON.stringify(actual)}`);
  }
  for (const name of expected.missing ?? []) {
    if (name in result.ticket.slots) problems.push(`slot ${name}: expected missing, got ${JSON.stringify(result.ticket.slots[name]?.value)}`);
  }
  if (expected.intent !== undefined && result.ticket.intent !== expected.intent)
    problems.push(`intent: expected ${JSON.stringify(expected.intent)}, got ${JSON.stringify(result.ticket.intent)}`);
  if (expected.status !== undefined && result.ticket.status !== expected.status)
    problems.push(`status: expected ${expected.status}, got ${result.ticket.status}`);
  if (expected.reply !== undefined) {
    const matches = typeof expected.reply === 'string' ? result.reply === expected.reply : expected.reply.test(result.reply);
    if (!matches) problems.push(`reply: expected ${String(expected.reply)}, got ${JSON.stringify(result.reply)}`);
  }
  return problems;
}
