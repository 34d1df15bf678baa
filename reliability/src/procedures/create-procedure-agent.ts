import { type Agent, type AgentOptions, createAgent, type LLM, type TicketStore } from '@ticketflow/core';
import type { ChaosBackend } from './chaos-backend.js';
import { createProcedureWorkflows, PROCEDURE_DEFINITIONS } from './procedure-domain.js';
import { createProcedureLLM } from './procedure-llm.js';
import { createProcedureTools } from './procedure-tools.js';

/** Options of {@link createProcedureAgent}: the parts, plus any `createAgent` option. */
export interface ProcedureAgentOptions extends Partial<Omit<AgentOptions, 'store' | 'llm' | 'intents' | 'workflows' | 'slots'>> {
  store: TicketStore;
  backend: ChaosBackend;
  llm?: LLM;
  /** Per-attempt timeout of every tool, ms. */
  toolTimeoutMs: number;
}

/** The agent of the procedures domain (procedures with `ctx.ask`, parallel and caught calls). */
export function createProcedureAgent(options: ProcedureAgentOptions): { agent: Agent; abandonPolicies: Record<string, 'keep' | 'compensate'> } {
  const { store, backend, llm, toolTimeoutMs, ...agentOptions } = options;
  const workflows = createProcedureWorkflows(createProcedureTools(backend, toolTimeoutMs));
  const agent = createAgent({
    ...agentOptions,
    store,
    llm: llm ?? createProcedureLLM(),
    intents: PROCEDURE_DEFINITIONS.intents,
    workflows,
    slots: PROCEDURE_DEFINITIONS.slots,
  });
  return { agent, abandonPolicies: abandonPolicies(workflows) };
}

/** `onAbandon` of every workflow, for the checker. */
export function abandonPolicies(workflows: readonly { name: string; onAbandon: 'keep' | 'compensate' }[]): Record<string, 'keep' | 'compensate'> {
  return Object.fromEntries(workflows.map((workflow) => [workflow.name, workflow.onAbandon]));
}
