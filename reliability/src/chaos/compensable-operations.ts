import type { WorkflowDefinition } from '@ticketflow/core';
import { createTelecomDomain, MemoryEffectLedger, TelecomBackend } from '@ticketflow/example-telecom-support';
import { ChaosBackend } from '../procedures/chaos-backend.js';
import { createProcedureWorkflows } from '../procedures/procedure-domain.js';
import { createProcedureTools } from '../procedures/procedure-tools.js';
import type { ChaosDomain } from '../worker/worker-protocol.js';

/** What the checker needs to know of a domain's definitions. */
export interface DomainFacts {
  /** The backend operations whose tool declares a compensation. */
  compensableOperations: Set<string>;
  /** `onAbandon` of every workflow (E6). */
  abandonPolicies: Record<string, 'keep' | 'compensate'>;
}

/** The facts of a domain, read from its definitions (bound to a throwaway backend). */
export function domainFacts(domain: ChaosDomain): DomainFacts {
  const { tools, workflows } = definitions(domain);
  return {
    compensableOperations: new Set(tools.filter((tool) => tool.compensate !== undefined).map((tool) => tool.name)),
    abandonPolicies: Object.fromEntries(workflows.map((workflow) => [workflow.name, workflow.onAbandon])),
  };
}

function definitions(domain: ChaosDomain): { tools: { name: string; compensate?: unknown }[]; workflows: readonly WorkflowDefinition[] } {
  if (domain === 'procedures') {
    const tools = createProcedureTools(new ChaosBackend({ ledger: new MemoryEffectLedger(), latencyMs: [0, 0] }), 100);
    return { tools: Object.values(tools), workflows: createProcedureWorkflows(tools) };
  }
  const telecom = createTelecomDomain(new TelecomBackend({ latencyMs: 0 }));
  return { tools: Object.values(telecom.tools), workflows: telecom.workflows };
}
