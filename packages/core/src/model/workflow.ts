import { ConfigurationError } from '../errors/ticketflow-error.js';
import type { IntentDefinition } from './intent.js';
import type { SlotDefinition, SlotValues } from './slot.js';
import type { TicketView } from './ticket.js';
import type { ToolDefinition } from './tool.js';
import { assertName } from './validate-definition.js';

/** What a workflow's `run` receives. */
export interface WorkflowContext {
  /** Known slot values by name (required ones are all present). */
  readonly slots: SlotValues;
  /**
   * Calls one of the workflow's `tools` (E4: any other is refused). The call is journaled
   * before it runs, validated, timed out, retried and compensated on failure.
   */
  call<I, O>(tool: ToolDefinition<I, O>, input: NoInfer<I>): Promise<O>;
  /** The ticket as of the checkpoint (read-only). */
  readonly ticket: TicketView;
  /** Aborted when the execution is abandoned. */
  readonly signal: AbortSignal;
}

/** How a workflow ended. `failed` rolls the execution back like a throw does (E3). */
export type WorkflowStatus = 'resolved' | 'escalated' | 'failed';

/** What a workflow's `run` returns. */
export interface WorkflowResult {
  status: WorkflowStatus;
  /** The reply to the user. */
  reply: string;
  /** Extra data recorded in the `execution.completed` event. */
  data?: Record<string, unknown>;
  /** Slot values learned by the workflow, stored with `source: 'tool'`. */
  slots?: Record<string, unknown>;
}

/** What `defineWorkflow` takes. */
export interface WorkflowConfig {
  /** Unique name. */
  name: string;
  /** The intent it serves (D1): its name or the object from `defineIntent`. */
  intent: string | IntentDefinition;
  description?: string;
  /** Chooses among several workflows of one intent (deterministic, over known slots). */
  when?: (slots: SlotValues) => boolean;
  /** Critical slots, asked for one per turn in this order (S1). */
  required: readonly SlotDefinition<any>[];
  /** Deferrable slots: used when known, never asked for (E2). */
  optional?: readonly SlotDefinition<any>[];
  /** Ask the reserved slot `confirm` (restating the values) before running (E2). */
  confirm?: boolean;
  /** The only tools `run` may call. */
  tools?: readonly ToolDefinition<any, any>[];
  /** Plain code; tools only through `ctx.call`. A throw or a failed tool call fails the execution. */
  run: (context: WorkflowContext) => Promise<WorkflowResult> | WorkflowResult;
}

/** A workflow (our response plan, D1), as `defineWorkflow` returns it. */
export interface WorkflowDefinition {
  readonly kind: 'workflow';
  readonly name: string;
  readonly intent: string;
  readonly description: string | undefined;
  readonly when: ((slots: SlotValues) => boolean) | undefined;
  readonly required: readonly SlotDefinition<any>[];
  readonly optional: readonly SlotDefinition<any>[];
  readonly confirm: boolean;
  readonly tools: readonly ToolDefinition<any, any>[];
  readonly run: (context: WorkflowContext) => Promise<WorkflowResult> | WorkflowResult;
}

/**
 * Declares a workflow: the deterministic plan that serves an intent once its required
 * slots are known.
 *
 * @example
 * ```ts
 * const fiber = defineWorkflow({ name: 'fiber_troubleshoot', intent: 'no_internet',
 *   when: (slots) => slots.service_type === 'fiber', required: [serviceType, region], tools: [checkOutage],
 *   run: async (ctx) => {
 *     const { outage } = await ctx.call(checkOutage, { region: String(ctx.slots.region) });
 *     return { status: 'resolved', reply: outage ? 'There is an outage in your area.' : 'No outage found.' };
 *   } });
 * ```
 * @throws {ConfigurationError} on a bad definition.
 */
export function defineWorkflow(config: WorkflowConfig): WorkflowDefinition {
  const issues: string[] = [];
  assertName(issues, 'workflow', config?.name);
  const name = config?.name;
  const intent = typeof config?.intent === 'object' && config.intent !== null ? config.intent.name : config?.intent;
  if (typeof intent !== 'string' || intent === '') issues.push(`workflow "${name}": intent must be an intent name or definition`);
  if (config?.when !== undefined && typeof config.when !== 'function') issues.push(`workflow "${name}": when must be a function`);
  if (typeof config?.run !== 'function') issues.push(`workflow "${name}": run must be a function`);
  const required = checkSlotList(issues, name, 'required', config?.required ?? []);
  const optional = checkSlotList(issues, name, 'optional', config?.optional ?? []);
  const seen = new Set<string>();
  for (const slot of [...required, ...optional]) {
    if (seen.has(slot.name)) issues.push(`workflow "${name}": slot "${slot.name}" is listed twice`);
    seen.add(slot.name);
  }
  const tools = config?.tools ?? [];
  if (!Array.isArray(tools) || !tools.every((tool) => tool?.kind === 'tool')) {
    issues.push(`workflow "${name}": tools must be objects from defineTool`);
  }
  if (config?.confirm !== undefined && typeof config.confirm !== 'boolean') issues.push(`workflow "${name}": confirm must be a boolean`);
  if (issues.length > 0) throw new ConfigurationError({ message: 'Invalid workflow definition', issues });
  return Object.freeze({
    kind: 'workflow' as const,
    name,
    intent: intent as string,
    description: config.description,
    when: config.when,
    required: Object.freeze([...required]),
    optional: Object.freeze([...optional]),
    confirm: config.confirm ?? false,
    tools: Object.freeze([...tools]),
    run: config.run,
  });
}

function checkSlotList(issues: string[], workflow: string, field: string, list: unknown): SlotDefinition<any>[] {
  if (!Array.isArray(list) || !list.every((slot) => slot?.kind === 'slot')) {
    issues.push(`workflow "${workflow}": ${field} must list objects from defineSlot`);
    return [];
  }
  return list as SlotDefinition<any>[];
}
