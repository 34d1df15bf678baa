import { buildRuntime } from '../agent/build-runtime.js';
import { agentOnRuntime } from '../agent/create-agent.js';
import { ConfigurationError, InvalidArgumentError } from '../errors/ticketflow-error.js';
import type { LLM } from '../llm/llm.js';
import { defaultRedact } from '../privacy/default-redact.js';
import type { StoredTicketEvent } from '../events/ticket-event-map.js';
import type { Action } from '../model/action.js';
import type { IntentDefinition } from '../model/intent.js';
import type { AnySlotDefinition } from '../model/slot.js';
import type { WorkflowDefinition } from '../model/workflow.js';
import { MemoryTicketStore } from '../store/memory-ticket-store.js';
import type { TicketStore } from '../store/ticket-store.js';
import { deepEqual } from '../util/deep-equal.js';
import { recordedDecisions } from './recorded-decisions.js';
import { recordedTools } from './recorded-tools.js';
import { validateReplayOptions } from './validate-replay-options.js';
import { expireWaitingNow } from '../turn/recover-tickets.js';
import { recoverExecution } from '../turn/recover-execution.js';
import { stoppingStore } from './stopping-store.js';
import { readScript, type ScriptStep, type ToolCallRecord } from './replay-script.js';
import { readTicket } from '../document/ticket-document.js';
import type { Runtime } from '../runtime/runtime.js';
import { maskJson, sensitiveValues } from '../runtime/sensitive-values.js';
import { eventPages } from '../store/event-pages.js';

/** What {@link replayTicket} takes: where the ticket is recorded, and the definitions to replay it against. */
export interface ReplayOptions {
  /** The store holding the recorded ticket. It is only read. */
  store: TicketStore;
  ticketId: string;
  intents: readonly IntentDefinition[];
  workflows: readonly WorkflowDefinition[];
  slots?: readonly AnySlotDefinition[] | undefined;
  /** The agent's key, to replay decisions about `sensitive` slots (their entities are recorded sealed). */
  encryptionKey?: string | Uint8Array | readonly (string | Uint8Array)[] | undefined;
  /** Other agent options that shape decisions (e.g. `confidenceThreshold`, `maxClarifications`). */
  confidenceThreshold?: number | undefined;
  maxClarifications?: number | undefined;
  /** The agent's `redact` (P2), so replayed replies compare with the recorded, redacted ones. [the default] */
  redact?: ((text: string) => string) | undefined;
  /** The agent's `leaseMs`, and with it its default `executionTimeoutMs` (8 × `leaseMs`), so a run it cut short is cut short alike. [30,000] */
  leaseMs?: number | undefined;
  /** The agent's `executionTimeoutMs`. [8 × `leaseMs`] */
  executionTimeoutMs?: number | undefined;
}

/** Why a replayed turn went differently from the recorded one. */
export type Divergence =
  | { kind: 'action'; recorded: Action | null; replayed: Action | null }
  | { kind: 'reply'; recorded: string | null; replayed: string | null }
  | { kind: 'tool_calls'; recorded: ToolCallRecord[]; replayed: ToolCallRecord[] }
  | { kind: 'unrecorded_tool_call'; tool: string; input: unknown }
  | { kind: 'error'; message: string };

/** One replayed operation: a customer message (`message`) or a person's decision. */
export interface ReplayedTurn {
  turn: number;
  operation: ScriptStep['kind'];
  /** The customer's message as recorded (redacted, P2); null for a person's decision. */
  message: string | null;
  recorded: { action: Action | null; reply: string | null; toolCalls: ToolCallRecord[] };
  replayed: { action: Action | null; reply: string | null; toolCalls: ToolCallRecord[]; slots: Record<string, unknown> };
  same: boolean;
  divergences: Divergence[];
}

/** What {@link replayTicket} found. */
export interface ReplayReport {
  ticketId: string;
  turns: ReplayedTurn[];
  /** True when at least one turn went differently. */
  diverged: boolean;
}

/**
 * Re-runs a recorded ticket against the definitions given — each turn's recorded decision
 * replaces the LLM, each recorded tool output replaces the tool, approvals, rejections and
 * releases are replayed as recorded — into a scratch in-memory store, and reports per turn
 * whether the action, the reply and the tool calls agree. Never writes to `store`, never
 * calls a model or a tool: a tool call the recording lacks is a divergence
 * (`unrecorded_tool_call`), answered with a failure instead of running.
 *
 * Use it to turn production tickets into regression tests: record, change a workflow, replay.
 *
 * @example
 * ```ts
 * const report = await replayTicket({ store, ticketId: 'T-1', intents, workflows });
 * for (const turn of report.turns.filter((turn) => !turn.same)) console.log(turn.turn, turn.divergences);
 * ```
 * @throws {InvalidArgumentError} for a ticket with no recorded events.
 * @throws {ConfigurationError} for invalid definitions.
 */
export async function replayTicket(given: ReplayOptions): Promise<ReplayReport> {
  const options = validateReplayOptions(given);
  const events = await readAll(options.store, options.ticketId);
  if (events.length === 0)
    throw new InvalidArgumentError({ argument: 'ticketId', message: `ticket ${JSON.stringify(options.ticketId.slice(0, 80))} has no recorded events` });
  const { steps, outputs, failedCompensations, started } = readScript(events);
  const decisions = recordedDecisions(options);
  const tools = recordedTools(outputs, failedCompensations, started);
  const runtime = replayRuntime(options, decisions.llm, tools.stopped);
  runtime.tools = tools.runner;
  const agent = agentOnRuntime(runtime);
  const turns: ReplayedTurn[] = [];
  for (const step of steps) {
    tools.startOperation();
    decisions.next(step);
    const replayed = await replayStep(agent, runtime, options.ticketId, step);
    // Where the recorded worker stopped, the replayed one stopped too: nothing more came of the operation.
    if (tools.stopped()) Object.assign(replayed, { action: null, reply: null, error: undefined });
    if (replayed.reply !== null) replayed.reply = (options.redact ?? defaultRedact)(replayed.reply);
    const ticket = await agent.getTicket(options.ticketId);
    turns.push(
      compare(
        step,
        { ...replayed, toolCalls: tools.calls(), slots: Object.fromEntries(Object.entries(ticket?.slots ?? {}).map(([name, slot]) => [name, slot.value])) },
        tools.unrecorded(),
      ),
    );
  }
  return { ticketId: options.ticketId, turns: await masked(runtime, options.ticketId, turns), diverged: turns.some((turn) => !turn.same) };
}

/**
 * The scratch runtime a replay runs on: a memory store, the recorded decisions as its LLM, the
 * definitions and decision options given, no retries, no redaction (the report is redacted).
 * @throws {ConfigurationError} naming `replayTicket`, for invalid definitions or options.
 */
function replayRuntime(options: ReplayOptions, llm: LLM, stopped: () => boolean): Runtime {
  try {
    return buildRuntime({
      store: stoppingStore(new MemoryTicketStore(), stopped),
      llm,
      intents: options.intents,
      workflows: options.workflows,
      ...(options.slots ? { slots: options.slots } : {}),
      ...(options.encryptionKey !== undefined ? { encryptionKey: options.encryptionKey } : {}),
      ...(options.confidenceThreshold !== undefined ? { confidenceThreshold: options.confidenceThreshold } : {}),
      ...(options.maxClarifications !== undefined ? { maxClarifications: options.maxClarifications } : {}),
      ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
      ...(options.executionTimeoutMs !== undefined ? { executionTimeoutMs: options.executionTimeoutMs } : {}),
      llmRetry: { retries: 0 },
      circuitBreaker: { failureThreshold: 1_000_000 },
      redact: (text) => text,
      instanceId: 'replay',
    });
  } catch (error) {
    if (ConfigurationError.isInstance(error))
      throw new ConfigurationError({ message: 'Invalid replayTicket options and definitions', issues: error.issues, cause: error });
    throw error;
  }
}

/** What the sweeper did between turns, done again now: the expiry's action and reply, as its `turn.completed` recorded them. */
async function replayExpiry(
  runtime: Runtime,
  ticketId: string,
  kind: 'expire_approval' | 'expire_input',
  waitedMs: number,
): Promise<{ action: Action | null; reply: string | null; error?: string }> {
  const status = kind === 'expire_approval' ? 'awaiting_approval' : 'awaiting_input';
  const before = (await runtime.store.events(ticketId)).length;
  if (!(await expireWaitingNow(runtime, ticketId, status, waitedMs)))
    return { action: null, reply: null, error: `the replayed ticket is not ${status}: nothing to expire` };
  return completionAfter(runtime, ticketId, before);
}

/** A recovery done again now: the stopped execution taken over and rolled back, with the action and reply its `turn.completed` recorded. */
async function replayRecovery(runtime: Runtime, ticketId: string): Promise<{ action: Action | null; reply: string | null; error?: string }> {
  const stored = await runtime.store.load(ticketId);
  const ticket = stored && readTicket(stored.ticket, ticketId);
  if (!stored || ticket?.status !== 'executing' || !ticket.execution)
    return { action: null, reply: null, error: 'the replayed ticket has no execution a stopped worker left' };
  const before = (await runtime.store.events(ticketId)).length;
  if (!(await recoverExecution(runtime, { ticket, version: stored.version }, null, undefined)))
    return { action: null, reply: null, error: 'the replayed recovery lost its claim' };
  return completionAfter(runtime, ticketId, before);
}

/** The action and reply of the last `turn.completed` (or `reply.sent`) after event `before`. */
async function completionAfter(runtime: Runtime, ticketId: string, before: number): Promise<{ action: Action | null; reply: string | null }> {
  const events = await runtime.store.events(ticketId, { after: before });
  const completed = events.findLast((event) => event.type === 'turn.completed' || event.type === 'reply.sent');
  const data = completed?.data as { action?: Action; reply?: string } | undefined;
  return { action: data?.action ?? null, reply: data?.reply ?? null };
}

/**
 * P1: the report as an operator may see it — every sensitive value the replayed ticket knows
 * masked, also in a recorded message typed before any decision named the value.
 */
async function masked(runtime: Runtime, ticketId: string, turns: ReplayedTurn[]): Promise<ReplayedTurn[]> {
  const loaded = await runtime.store.load(ticketId);
  const secrets = loaded ? sensitiveValues(runtime, readTicket(loaded.ticket, ticketId)) : [];
  return secrets.length === 0 ? turns : (maskJson(turns, secrets) as ReplayedTurn[]);
}

async function replayStep(
  agent: ReturnType<typeof agentOnRuntime>,
  runtime: Runtime,
  ticketId: string,
  step: ScriptStep,
): Promise<{ action: Action | null; reply: string | null; error?: string }> {
  try {
    if (step.kind === 'message') {
      const result = await agent.handle({ ticketId, message: step.text, ...(step.messageId !== null ? { messageId: step.messageId } : {}) });
      return { action: result.action, reply: result.reply };
    }
    // A recovery that never finished (its worker stopped too; a later one took over) left the ticket as it was.
    if (step.kind === 'recover') return step.recorded.action === null ? { action: null, reply: null } : await replayRecovery(runtime, ticketId);
    if (!('by' in step)) return await replayExpiry(runtime, ticketId, step.kind, step.waitedMs);
    const decision = { by: step.by, ...(step.note !== undefined ? { note: step.note } : {}) };
    if (step.kind === 'release') {
      await agent.release(ticketId, decision);
      return { action: null, reply: null };
    }
    const result = step.kind === 'approve' ? await agent.approve(ticketId, decision) : await agent.reject(ticketId, decision);
    return { action: result.action, reply: result.reply };
  } catch (error) {
    return { action: null, reply: null, error: error instanceof Error ? error.message : String(error) };
  }
}

function compare(
  step: ScriptStep,
  replayed: { action: Action | null; reply: string | null; toolCalls: ToolCallRecord[]; slots: Record<string, unknown>; error?: string },
  unrecorded: ToolCallRecord[],
): ReplayedTurn {
  const divergences: Divergence[] = [];
  const { recorded } = step;
  if (replayed.error !== undefined) divergences.push({ kind: 'error', message: replayed.error });
  if (!deepEqual(recorded.action, replayed.action)) divergences.push({ kind: 'action', recorded: recorded.action, replayed: replayed.action });
  else if (recorded.reply !== replayed.reply && step.kind === 'message')
    divergences.push({ kind: 'reply', recorded: recorded.reply, replayed: replayed.reply });
  if (!deepEqual(recorded.toolCalls, replayed.toolCalls)) divergences.push({ kind: 'tool_calls', recorded: recorded.toolCalls, replayed: replayed.toolCalls });
  for (const call of unrecorded) divergences.push({ kind: 'unrecorded_tool_call', tool: call.tool, input: call.input });
  const { error: _error, ...shown } = replayed;
  return {
    turn: step.turn,
    operation: step.kind,
    message: step.kind === 'message' ? step.text : null,
    recorded,
    replayed: shown,
    same: divergences.length === 0,
    divergences,
  };
}

async function readAll(store: TicketStore, ticketId: string): Promise<StoredTicketEvent[]> {
  const events: StoredTicketEvent[] = [];
  for await (const page of eventPages(store, ticketId)) events.push(...page);
  return events;
}
