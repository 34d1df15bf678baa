import { isDeepStrictEqual } from 'node:util';
import { runAssertion } from '../world/assertions.js';
import { ScenarioError } from '../world/initialization.js';
import type { Tau2World } from '../world/tau2-world.js';
import type { WorldAction } from '../world/types.js';
import type { ExpectedAction, Tau2Task } from '../task.js';

/** One env assertion of a task and what it gave. */
export interface AssertionResult {
  env_type: 'user' | 'assistant';
  func_name: string;
  arguments: Record<string, unknown>;
  /** What the function must return (`assert_value`). */
  expected: boolean;
  /** What it returned (null when it could not run). */
  value: boolean | null;
  passed: boolean;
  error?: string;
}

/** One expected action of a task and the performed action that matched it, if any. */
export interface ActionCheck {
  expected: ExpectedAction;
  /** Index in the performed actions of the match, or null. */
  matchedIndex: number | null;
}

/** The verdict on one conversation. */
export interface TaskEvaluation {
  passed: boolean;
  assertions: AssertionResult[];
  actions: ActionCheck[];
  /** True when a transfer to a human happened that the task does not expect. */
  unexpectedTransfer: boolean;
  /** Why it failed, one line each (empty when it passed). */
  reasons: string[];
}

/** How the conversation ended, for the termination gate and the transfer check. */
export interface ConversationEnd {
  /** The agent ended it (a resolution or a hand-over), not the turn limit or an error. */
  ended: boolean;
  /** The agent handed the customer to a human (a transfer call or an escalation). */
  transferred: boolean;
  /** Why it did not end, when it did not. */
  reason?: string;
}

/**
 * Does `performed` match `expected`? Same side, same name, and the same values for the
 * compared arguments: `compare_args` when listed (empty: name only), else every argument of
 * the performed call (MODEL §8.4).
 */
export function actionMatches(expected: ExpectedAction, performed: WorldAction): boolean {
  if (!performed.ok || performed.undone || performed.requestor !== expected.requestor || performed.name !== expected.name) return false;
  const keys = expected.compare_args ?? Object.keys(performed.arguments);
  return keys.every((key) => isDeepStrictEqual(normalise(expected.arguments[key]), normalise(performed.arguments[key])));
}

const normalise = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/**
 * Grades a finished conversation the way the brief asks: every env assertion of the task
 * holds on the world, every expected action was performed by its side with matching
 * arguments (each matched by a different performed action), no transfer to a human that the
 * task does not expect, and the agent ended the conversation.
 */
export function evaluateTask(task: Tau2Task, world: Tau2World, performed: readonly WorldAction[], end: ConversationEnd): TaskEvaluation {
  const reasons: string[] = [];
  if (!end.ended) reasons.push(`the conversation did not end: ${end.reason ?? 'no resolution'}`);
  world.sync();
  const assertions = (task.evaluation_criteria.env_assertions ?? []).map((assertion): AssertionResult => {
    const base = { env_type: assertion.env_type, func_name: assertion.func_name, arguments: assertion.arguments, expected: assertion.assert_value };
    try {
      const value = runAssertion(world, assertion);
      return { ...base, value, passed: value === assertion.assert_value };
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      return { ...base, value: null, passed: false, error: error.message };
    }
  });
  for (const assertion of assertions)
    if (!assertion.passed)
      reasons.push(
        `assertion ${assertion.func_name}(${JSON.stringify(assertion.arguments)}) is ${assertion.value}${assertion.error ? ` (${assertion.error})` : ''}, expected ${assertion.expected}`,
      );
  const used = new Set<number>();
  const actions = (task.evaluation_criteria.actions ?? []).map((expected): ActionCheck => {
    const index = performed.findIndex((action, position) => !used.has(position) && actionMatches(expected, action));
    if (index >= 0) used.add(index);
    return { expected, matchedIndex: index >= 0 ? index : null };
  });
  for (const check of actions)
    if (check.matchedIndex === null)
      reasons.push(`expected action not performed: ${check.expected.requestor} ${check.expected.name}(${JSON.stringify(check.expected.arguments)})`);
  const transferExpected = (task.evaluation_criteria.actions ?? []).some((action) => action.name === 'transfer_to_human_agents');
  const unexpectedTransfer = !transferExpected && (end.transferred || performed.some((action) => action.name === 'transfer_to_human_agents' && action.ok));
  if (unexpectedTransfer) reasons.push('the customer was transferred to a human, which the task does not expect');
  return { passed: reasons.length === 0, assertions, actions, unexpectedTransfer, reasons };
}
