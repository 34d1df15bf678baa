import { ConfigurationError } from '../errors/ticketflow-error.js';
import type { IntentDefinition } from './intent.js';
import type { AnySlotDefinition, SlotValueOf } from './slot.js';
import type { TicketView } from './ticket.js';
import type { AnyToolDefinition, ToolInputOf, ToolOutputOf } from './tool.js';
import { assertName, checkKnownKeys } from './validate-definition.js';
import { isAsyncFunction } from './async-schema.js';

/** A list of slot definitions, as a workflow declares them. */
export type SlotList = readonly AnySlotDefinition[];
/** A list of tool definitions, as a workflow declares them. */
export type ToolList = readonly AnyToolDefinition[];

/**
 * The slot values a workflow sees, typed from its declaration: a `required` slot is its
 * schema's type, an `optional` or `asks` slot that type or `undefined`; any other name is a
 * compile-time error.
 */
export type WorkflowSlots<Required extends SlotList, Optional extends SlotList = [], Asks extends SlotList = []> = {
  readonly [Slot in Required[number] as Slot['name']]: SlotValueOf<Slot>;
} & {
  readonly [Slot in Optional[number] | Asks[number] as Slot['name']]?: SlotValueOf<Slot> | undefined;
};

/** What a workflow's `run` receives. */
export interface WorkflowContext<Slots = Readonly<Record<string, unknown>>, Tools extends ToolList = ToolList, Askable extends SlotList = SlotList> {
  /** The workflow's slot values by name (every required one is present), typed from its declaration. */
  readonly slots: Slots;
  /**
   * Calls one of the workflow's `tools` (E4: any other is refused, and does not compile).
   * The call is validated, journaled before it runs (write-ahead), timed out, retried and
   * compensated if the execution fails. Calls may run in parallel (`Promise.all`); each
   * gets its own journal step in the order the calls were made. A failed call throws; a
   * workflow that catches it goes on (the failure stays in the journal).
   */
  call<Tool extends Tools[number]>(tool: Tool, input: NoInfer<ToolInputOf<Tool>>): Promise<ToolOutputOf<Tool>>;
  /**
   * The value of a slot, asking the customer when it is not known yet (E6): the execution
   * then suspends (status `awaiting_input`, action `ask` with the slot's question) and
   * resumes when a later turn supplies a valid value — `run` starts again from the top, tool
   * calls already made are replayed from the journal (never called twice) and earlier
   * answers are returned as recorded, so `run` must be deterministic.
   */
  ask<Slot extends Askable[number]>(slot: Slot, options?: AskOptions): Promise<SlotValueOf<Slot>>;
  /** The ticket as of the checkpoint: a frozen copy (writing to it throws; the ticket changes only through the engine). */
  readonly ticket: TicketView;
  /** Aborted when the execution is abandoned (its claim was lost). */
  readonly signal: AbortSignal;
}

/** Options of `ctx.ask`. */
export interface AskOptions {
  /**
   * Ask even when the slot is already known (e.g. "look at the status bar again" after a fix,
   * or an answer given in an earlier run): the known value is cleared and the customer asked.
   */
  fresh?: boolean | undefined;
  /** The question to ask this time, instead of the slot's declared one (e.g. one that states an amount). */
  question?: string | undefined;
}

/** How a workflow ended. `failed` rolls the execution back like a throw does (E3). */
export type WorkflowStatus = 'resolved' | 'escalated' | 'failed';

/** What a workflow's `run` returns. */
export interface WorkflowResult {
  status: WorkflowStatus;
  /** The reply to the user. */
  reply: string;
  /** Extra data recorded in the `execution.completed` event. */
  data?: Record<string, unknown> | undefined;
  /** Slot values learned by the workflow, stored with `source: 'tool'`. */
  slots?: Record<string, unknown> | undefined;
}

/** What happens to the completed steps of a procedure the customer leaves (E6). */
export type AbandonPolicy = 'compensate' | 'keep';

/** What `defineWorkflow` takes. */
export interface WorkflowConfig<Required extends SlotList, Optional extends SlotList, Asks extends SlotList, Tools extends ToolList> {
  /** Unique name. */
  name: string;
  /** The intent it serves (D1): its name or the object from `defineIntent`. */
  intent: string | IntentDefinition;
  description?: string | undefined;
  /** Chooses among several workflows of one intent (deterministic, over known slots). */
  when?: ((slots: Partial<WorkflowSlots<Required, Optional, Asks>>) => boolean) | undefined;
  /** Critical slots, asked for one per turn in this order (S1); none when left out. */
  required?: Required | undefined;
  /** Deferrable slots: used when known, never asked for before the run (E2). */
  optional?: Optional | undefined;
  /** Slots `run` may ask for mid-run with `ctx.ask` (E6). */
  asks?: Asks | undefined;
  /** Ask the reserved slot `confirm` (restating the values) before running (E2). */
  confirm?: boolean | undefined;
  /**
   * When a workflow that already ran runs again (E2a): `required` (default) when a turn
   * changes one of its required values; `any` when any of its values changes (searches,
   * lookups: "any other places with vegetarian options?").
   */
  rerun?: 'required' | 'any' | undefined;
  /**
   * What happens to the completed steps of a suspended procedure when the customer switches
   * to another intent, cancels or stops answering (E6). Default `compensate` for
   * `confirm: true` workflows, else `keep`.
   */
  onAbandon?: AbandonPolicy | undefined;
  /** The only tools `run` may call. */
  tools?: Tools | undefined;
  /** Plain code; tools only through `ctx.call`. A throw or a failed tool call fails the execution. */
  run: (
    context: WorkflowContext<WorkflowSlots<Required, Optional, Asks>, Tools, [...Required, ...Optional, ...Asks]>,
  ) => Promise<WorkflowResult> | WorkflowResult;
}

/** A workflow (our response plan, D1), as `defineWorkflow` returns it. */
export interface WorkflowDefinition<
  Required extends SlotList = any,
  Optional extends SlotList = any,
  Asks extends SlotList = any,
  Tools extends ToolList = any,
> {
  readonly kind: 'workflow';
  readonly name: string;
  readonly intent: string;
  readonly description: string | undefined;
  readonly when: ((slots: Partial<WorkflowSlots<Required, Optional, Asks>>) => boolean) | undefined;
  readonly required: Required;
  readonly optional: Optional;
  readonly asks: Asks;
  readonly confirm: boolean;
  readonly rerun: 'required' | 'any';
  readonly onAbandon: AbandonPolicy;
  readonly tools: Tools;
  /*
   * A method signature on purpose: its parameter is then checked bivariantly, so a workflow
   * from the other build of the package (CommonJS next to ESM declarations) still counts as
   * a `WorkflowDefinition` (the `any` defaults only match within one declaration file).
   */
  run(context: WorkflowContext<WorkflowSlots<Required, Optional, Asks>, Tools, [...Required, ...Optional, ...Asks]>): Promise<WorkflowResult> | WorkflowResult;
}

/**
 * Declares a workflow: the deterministic plan that serves an intent once its required
 * slots are known. `ctx.slots` and `ctx.call` are typed from `required`, `optional`, `asks`
 * and `tools`.
 *
 * @example
 * ```ts
 * const fiber = defineWorkflow({ name: 'fiber_troubleshoot', intent: 'no_internet',
 *   when: (slots) => slots.service_type === 'fiber', required: [serviceType, region], tools: [checkOutage],
 *   run: async (ctx) => {
 *     const { outage } = await ctx.call(checkOutage, { region: ctx.slots.region });
 *     return { status: 'resolved', reply: outage ? 'There is an outage in your area.' : 'No outage found.' };
 *   } });
 * ```
 * @throws {ConfigurationError} on a bad definition.
 */
export function defineWorkflow<
  const Required extends SlotList,
  const Optional extends SlotList = [],
  const Asks extends SlotList = [],
  const Tools extends ToolList = [],
>(config: WorkflowConfig<Required, Optional, Asks, Tools>): WorkflowDefinition<Required, Optional, Asks, Tools> {
  const issues = checkWorkflowConfig(config as WorkflowConfig<SlotList, SlotList, SlotList, ToolList>);
  if (issues.length > 0) throw new ConfigurationError({ message: 'Invalid workflow definition', issues });
  const intent = typeof config.intent === 'object' ? config.intent.name : config.intent;
  const confirm = config.confirm ?? false;
  return Object.freeze({
    kind: 'workflow' as const,
    name: config.name,
    intent,
    description: config.description,
    when: config.when,
    required: Object.freeze([...(config.required ?? [])]) as unknown as Required,
    optional: Object.freeze([...(config.optional ?? [])]) as unknown as Optional,
    asks: Object.freeze([...(config.asks ?? [])]) as unknown as Asks,
    confirm,
    rerun: config.rerun ?? 'required',
    onAbandon: config.onAbandon ?? (confirm ? 'compensate' : 'keep'),
    tools: Object.freeze([...(config.tools ?? [])]) as unknown as Tools,
    run: config.run,
  });
}

function checkWorkflowConfig(config: WorkflowConfig<SlotList, SlotList, SlotList, ToolList>): string[] {
  const issues: string[] = [];
  assertName(issues, 'workflow', config?.name);
  const name = config?.name;
  checkKnownKeys(issues, `workflow "${name}"`, config, [
    'name',
    'intent',
    'description',
    'when',
    'required',
    'optional',
    'asks',
    'confirm',
    'rerun',
    'onAbandon',
    'tools',
    'run',
  ]);
  const intent = typeof config?.intent === 'object' && config.intent !== null ? config.intent.name : config?.intent;
  if (typeof intent !== 'string' || intent === '') issues.push(`workflow "${name}": intent must be an intent name or definition`);
  if (config?.when !== undefined && typeof config.when !== 'function') issues.push(`workflow "${name}": when must be a function`);
  else if (isAsyncFunction(config?.when)) issues.push(`workflow "${name}": when must answer synchronously (an async condition's promise would never hold)`);
  if (typeof config?.run !== 'function') issues.push(`workflow "${name}": run must be a function`);
  const lists = (['required', 'optional', 'asks'] as const).map((field) => checkSlotList(issues, name, field, config?.[field] ?? []));
  const seen = new Set<string>();
  for (const slot of lists.flat()) {
    if (seen.has(slot.name)) issues.push(`workflow "${name}": slot "${slot.name}" is listed twice`);
    seen.add(slot.name);
  }
  const tools = config?.tools ?? [];
  if (!Array.isArray(tools) || !tools.every((tool) => tool?.kind === 'tool')) issues.push(`workflow "${name}": tools must be objects from defineTool`);
  if (config?.confirm !== undefined && typeof config.confirm !== 'boolean') issues.push(`workflow "${name}": confirm must be a boolean`);
  if (config?.rerun !== undefined && config.rerun !== 'required' && config.rerun !== 'any')
    issues.push(`workflow "${name}": rerun must be 'required' or 'any'`);
  if (config?.onAbandon !== undefined && config.onAbandon !== 'compensate' && config.onAbandon !== 'keep')
    issues.push(`workflow "${name}": onAbandon must be 'compensate' or 'keep'`);
  return issues;
}

function checkSlotList(issues: string[], workflow: string, field: string, list: unknown): AnySlotDefinition[] {
  if (!Array.isArray(list) || !list.every((slot) => slot?.kind === 'slot')) {
    issues.push(`workflow "${workflow}": ${field} must list objects from defineSlot`);
    return [];
  }
  return list as AnySlotDefinition[];
}
