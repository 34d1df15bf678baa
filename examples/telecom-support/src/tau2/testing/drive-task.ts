import { createCarrierTools } from '../../domain/carrier-tools.js';
import { identifyCustomer, isAccount } from '../../domain/procedures/identify-customer.js';
import { mmsProcedure } from '../../domain/procedures/mms-path.js';
import { mobileDataProcedure } from '../../domain/procedures/mobile-data-path.js';
import { noServiceProcedure } from '../../domain/procedures/no-service-path.js';
import type { ProcedureContext, ProcedureDeps, ProcedureEnding } from '../../domain/procedures/procedure-context.js';
import { createProcedureSlots } from '../../domain/procedures/procedure-slots.js';
import { decideTelecom } from '../../llm/decide-telecom.js';
import { customerProfile } from '../customer/customer-profile.js';
import { ScriptedCustomer } from '../customer/scripted-customer.js';
import { evaluateTask, type TaskEvaluation } from '../harness/evaluate-task.js';
import type { Tau2Task } from '../task.js';
import { runInitialization } from '../world/initialization.js';
import { Tau2World } from '../world/tau2-world.js';
import { driveProcedure } from './procedure-driver.js';

/** A prompt shaped like the core's, with the parts the offline LLM reads. */
export function promptFor(message: string, context: { intent?: string | null; pending?: string }): string {
  return [
    '## Current ticket',
    `- intent: ${context.intent ?? 'none yet'}`,
    ...(context.pending ? [`- pending question: ${context.pending} (…)`] : []),
    '',
    '## Latest customer message (verbatim)',
    '<<<CUSTOMER_MESSAGE',
    message,
    'CUSTOMER_MESSAGE>>>',
  ].join('\n');
}

const PROCEDURES: Record<string, (ctx: ProcedureContext, deps: ProcedureDeps, account: Parameters<typeof noServiceProcedure>[2]) => Promise<ProcedureEnding>> =
  {
    no_service: noServiceProcedure,
    no_internet: mobileDataProcedure,
    slow_internet: mobileDataProcedure,
    mms_issue: mmsProcedure,
  };

/** What {@link driveTask} returns. */
export interface DrivenTask {
  evaluation: TaskEvaluation;
  ending: ProcedureEnding;
  /** Customer turns: the opening message and one per question. */
  turns: number;
  asked: string[];
  world: Tau2World;
}

/**
 * Plays a τ² task through the procedures with the {@link driveProcedure} engine stand-in:
 * the world broken as the task says, the scripted customer, the offline LLM reading the
 * opening ticket and every answer. For tests of the procedures and the customer; the
 * harness plays tasks through the agent.
 */
export async function driveTask(task: Tau2Task): Promise<DrivenTask> {
  const world = new Tau2World();
  for (const step of task.initial_state?.initialization_actions ?? []) runInitialization(world, step);
  world.clearActions();
  const customer = new ScriptedCustomer(world, customerProfile(task));
  const opening = decideTelecom(promptFor(customer.opening(), {}));
  const intent = opening.intent ?? 'none';
  const procedure = PROCEDURES[intent];
  if (!procedure) throw new Error(`the opening ticket gives intent ${intent}, which has no procedure`);
  const deps: ProcedureDeps = { tools: createCarrierTools(world), slots: createProcedureSlots(world.records.data.plans), today: world.today };
  const result = await driveProcedure({
    known: opening.entities ?? {},
    procedure: async (ctx) => {
      const account = await identifyCustomer(ctx, deps);
      return isAccount(account) ? procedure(ctx, deps, account) : account;
    },
    answer: (slot) => {
      const text = customer.answer({ slot: slot.name, question: slot.question });
      return decideTelecom(promptFor(text, { intent, pending: slot.name })).entities?.[slot.name];
    },
  });
  const performed = world.actions();
  const evaluation = evaluateTask(task, world, performed, { ended: result.ending.status !== 'failed', transferred: result.ending.status === 'escalated' });
  return { evaluation, ending: result.ending, turns: 1 + result.asked.length, asked: result.asked, world };
}
