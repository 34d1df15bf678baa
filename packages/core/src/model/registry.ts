import { ConfigurationError } from '../errors/ticketflow-error.js';
import type { IntentDefinition } from './intent.js';
import type { AnySlotDefinition, SlotDefinition } from './slot.js';
import type { AnyToolDefinition } from './tool.js';
import type { WorkflowDefinition } from './workflow.js';

/**
 * The agent's definitions, cross-checked and indexed once at `createAgent`. Everything the
 * pure policy needs to know about the domain comes from here.
 */
export interface Registry {
  readonly intents: ReadonlyMap<string, IntentDefinition>;
  readonly workflows: ReadonlyMap<string, WorkflowDefinition>;
  /** Workflows per intent, in declared order (the order `when` is tried in). */
  readonly workflowsByIntent: ReadonlyMap<string, readonly WorkflowDefinition[]>;
  readonly slots: ReadonlyMap<string, AnySlotDefinition>;
  readonly tools: ReadonlyMap<string, AnyToolDefinition>;
  /** Slots with `infer`, sources before the slots derived from them. */
  readonly inferenceOrder: readonly AnySlotDefinition[];
}

/**
 * Builds and checks the registry.
 * @throws {ConfigurationError} listing every problem: duplicate names, a workflow for an
 * undeclared intent, two different slots or tools with one name, an inference from an
 * undeclared slot, an inference cycle.
 */
export function buildRegistry(input: RegistryInput): Registry {
  const { registry, issues } = collectRegistry(input);
  if (issues.length > 0) throw new ConfigurationError({ message: 'Invalid agent definitions', issues });
  return registry;
}

/** The definitions an agent is built from. */
export interface RegistryInput {
  intents: readonly IntentDefinition[];
  workflows: readonly WorkflowDefinition[];
  slots?: readonly SlotDefinition<any>[];
}

/** Builds the registry and lists every problem instead of throwing (for `createAgent`, which reports all at once). */
export function collectRegistry(input: RegistryInput): { registry: Registry; issues: string[] } {
  const issues: string[] = [];
  const intents = new Map<string, IntentDefinition>();
  for (const intent of Array.isArray(input.intents) ? input.intents : []) {
    if (intent?.kind !== 'intent') {
      issues.push('intents must be objects from defineIntent');
      continue;
    }
    if (intents.has(intent.name)) issues.push(`intent "${intent.name}" is declared twice`);
    intents.set(intent.name, intent);
  }

  const workflows = new Map<string, WorkflowDefinition>();
  const workflowsByIntent = new Map<string, WorkflowDefinition[]>();
  const slots = new Map<string, AnySlotDefinition>();
  const tools = new Map<string, AnyToolDefinition>();
  const addSlot = (slot: SlotDefinition, owner: string) => {
    const known = slots.get(slot.name);
    if (known && known !== slot) issues.push(`two different slots are named "${slot.name}" (${owner}); declare it once and share the object`);
    slots.set(slot.name, slot);
  };

  for (const slot of Array.isArray(input.slots) ? input.slots : []) {
    if (slot?.kind !== 'slot') issues.push('slots must be objects from defineSlot');
    else addSlot(slot, 'agent slots');
  }
  for (const workflow of Array.isArray(input.workflows) ? input.workflows : []) {
    if (workflow?.kind !== 'workflow') {
      issues.push('workflows must be objects from defineWorkflow');
      continue;
    }
    if (workflows.has(workflow.name)) issues.push(`workflow "${workflow.name}" is declared twice`);
    workflows.set(workflow.name, workflow);
    if (!intents.has(workflow.intent)) issues.push(`workflow "${workflow.name}" serves the undeclared intent "${workflow.intent}"`);
    const list = workflowsByIntent.get(workflow.intent) ?? [];
    list.push(workflow);
    workflowsByIntent.set(workflow.intent, list);
    for (const slot of [...workflow.required, ...workflow.optional, ...workflow.asks]) addSlot(slot, `workflow "${workflow.name}"`);
    for (const tool of workflow.tools) {
      const known = tools.get(tool.name);
      if (known && known !== tool) issues.push(`two different tools are named "${tool.name}"; declare it once and share the object`);
      tools.set(tool.name, tool);
    }
  }

  const inferenceOrder = orderInferences(slots, issues);
  return { registry: { intents, workflows, workflowsByIntent, slots, tools, inferenceOrder }, issues };
}

/** Topological order of inferable slots; reports unknown sources and cycles. */
function orderInferences(slots: ReadonlyMap<string, AnySlotDefinition>, issues: string[]): SlotDefinition[] {
  const ordered: SlotDefinition[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (slot: SlotDefinition, path: string[]): void => {
    if (!slot.infer) return;
    const mark = state.get(slot.name);
    if (mark === 'done') return;
    if (mark === 'visiting') {
      issues.push(`slot inference cycle: ${[...path, slot.name].join(' -> ')}`);
      return;
    }
    state.set(slot.name, 'visiting');
    for (const source of slot.infer.from) {
      const sourceSlot = slots.get(source);
      if (!sourceSlot) issues.push(`slot "${slot.name}" is inferred from "${source}", which no workflow declares; list it in createAgent({ slots: [...] })`);
      else visit(sourceSlot, [...path, slot.name]);
    }
    state.set(slot.name, 'done');
    ordered.push(slot);
  };
  for (const slot of slots.values()) visit(slot, []);
  return ordered;
}
