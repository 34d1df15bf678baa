import { customerProfile } from '../customer/customer-profile.js';
import { ScriptedCustomer } from '../customer/scripted-customer.js';
import type { Tau2Task } from '../task.js';
import { runInitialization, ScenarioError } from '../world/initialization.js';
import { Tau2World } from '../world/tau2-world.js';
import type { WorldAction } from '../world/types.js';
import { evaluateTask, type ConversationEnd, type TaskEvaluation } from './evaluate-task.js';
import type { AgentTurn, SessionFactory } from './task-session.js';

/** One line of a conversation. */
export interface TranscriptEntry {
  role: 'customer' | 'agent';
  text: string;
  /** The agent's action (agent entries only). */
  action?: AgentTurn['action'];
}

/** The outcome of one conversation on one task. */
export interface TaskRun {
  id: string;
  trial: number;
  verdict: 'PASS' | 'FAIL';
  /** Customer messages sent (the opening ticket and one per answer). */
  turns: number;
  /** Every action performed in the world after the set-up, in order, with its side. */
  actions: WorldAction[];
  evaluation: TaskEvaluation;
  transcript: TranscriptEntry[];
  /** Set when the task could not be run at all (a set-up the world does not know, an error). */
  error?: string;
}

/** Options of {@link playTask}. */
export interface PlayOptions {
  sessions: SessionFactory;
  /** Most customer messages before the conversation counts as not ended. Default 60. */
  maxTurns?: number;
  trial?: number;
}

const ENDINGS = new Set(['resolved', 'escalated']);

/**
 * Plays one τ² task: breaks a fresh world as `initialization_actions` say, opens the
 * conversation with the task's ticket, lets the scripted customer answer every question by
 * acting on the phone, and grades the end state ({@link evaluateTask}). The conversation
 * ends when the agent resolves or hands over; a reply that is neither an answer to ask nor an
 * ending (an LLM outage, a failed step) makes the customer say the same again, twice at most.
 */
export async function playTask(task: Tau2Task, options: PlayOptions): Promise<TaskRun> {
  const trial = options.trial ?? 1;
  const world = new Tau2World();
  const transcript: TranscriptEntry[] = [];
  const failure = (error: string): TaskRun => ({
    id: task.id,
    trial,
    verdict: 'FAIL',
    turns: transcript.filter((entry) => entry.role === 'customer').length,
    actions: world.actions(),
    evaluation: { passed: false, assertions: [], actions: [], unexpectedTransfer: false, reasons: [error] },
    transcript,
    error,
  });
  try {
    for (const step of task.initial_state?.initialization_actions ?? []) runInitialization(world, step);
  } catch (error) {
    if (error instanceof ScenarioError) return failure(`set-up: ${error.message}`);
    throw error;
  }
  world.clearActions();
  const customer = new ScriptedCustomer(world, customerProfile(task));
  const session = await options.sessions(world, `${task.id}.${trial}`);
  let end: ConversationEnd;
  try {
    end = await converse(customer, session.send, transcript, options.maxTurns ?? 60);
  } catch (error) {
    return failure(`the conversation broke: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await session.close();
  }
  const actions = world.actions();
  const evaluation = evaluateTask(task, world, actions, end);
  return {
    id: task.id,
    trial,
    verdict: evaluation.passed ? 'PASS' : 'FAIL',
    turns: transcript.filter((entry) => entry.role === 'customer').length,
    actions,
    evaluation,
    transcript,
  };
}

async function converse(
  customer: ScriptedCustomer,
  send: (message: string) => Promise<AgentTurn>,
  transcript: TranscriptEntry[],
  maxTurns: number,
): Promise<ConversationEnd> {
  let message = customer.opening();
  let repeats = 0;
  for (let turn = 1; turn <= maxTurns; turn += 1) {
    transcript.push({ role: 'customer', text: message });
    const answer = await send(message);
    transcript.push({ role: 'agent', text: answer.reply, action: answer.action });
    const { action } = answer;
    if (action.type === 'escalate') return { ended: true, transferred: true };
    if (action.type === 'execute' && ENDINGS.has(String(action.outcome))) return { ended: true, transferred: action.outcome === 'escalated' };
    if (action.type === 'ask') {
      repeats = 0;
      message = customer.answer({ slot: String(action.slot), question: String(action.question ?? answer.reply) });
      continue;
    }
    repeats += 1;
    if (repeats > 2) return { ended: false, transferred: false, reason: `the agent kept answering with ${describe(action)}` };
  }
  return { ended: false, transferred: false, reason: `no ending within ${maxTurns} customer messages` };
}

function describe(action: AgentTurn['action']): string {
  return [action.type, action.outcome, action.reason].filter((part) => part !== undefined).join(' ');
}
