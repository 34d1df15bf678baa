import type { ExecutionObserver } from '../events/instrumentation.js';
import { parseStorable, readStored, storableText, toJsonValue } from '../model/json-value.js';
import type { AnySlotDefinition } from '../model/slot.js';
import type { ExecutionStep, RecordedError, TicketDoc, TicketView } from '../model/ticket.js';
import type { AnyToolDefinition, ApprovalContext } from '../model/tool.js';
import type { AskOptions, WorkflowContext, WorkflowDefinition } from '../model/workflow.js';
import type { Runtime } from '../runtime/runtime.js';
import type { AbortLatch } from '../util/abort-latch.js';
import { deepEqual } from '../util/deep-equal.js';
import { catchRejection } from '../util/thenable.js';
import type { ExecutionJournal } from './execution-journal.js';
import { idempotencyKeyOf } from './idempotency-key.js';
import {
  ExecutionClosedError,
  ExecutionPause,
  NondeterministicWorkflowError,
  RecordedStepError,
  recordError,
  ToolInputError,
  ToolNotAllowedError,
  ToolOutputError,
} from './execution-errors.js';
import { effectiveTimeoutMs, runToolStep } from './run-tool-step.js';
import { journalValue, openValue } from './journaled-values.js';
import { redactOrWithhold } from '../runtime/redact-or-withhold.js';
import { maskJson, maskText, type SensitiveValue } from '../runtime/sensitive-values.js';
import { errorShower } from './shown-error.js';

/** Why a run stopped early, if it did: set by the first call that pauses or learns the claim is lost. */
export interface RunState {
  pause: { reason: 'approval'; step: number } | { reason: 'input'; slot: string; fresh: boolean; question?: string; ask: number } | null;
  /** Calls still running (awaited before the run's outcome is committed). */
  inflight: Set<Promise<unknown>>;
  /** Set once the run is over: a late `ctx.call`/`ctx.ask` (from a timer, an unawaited chain) is refused, never run. */
  closed: boolean;
}

/** What the workflow context needs. */
export interface ContextInput {
  runtime: Runtime;
  workflow: WorkflowDefinition;
  journal: ExecutionJournal;
  ticketId: string;
  /** The ticket's incarnation (one life of its id): part of every idempotency key. */
  incarnation: string;
  turn: number;
  /** The ticket as app code reads it (`ctx.ticket`): a frozen copy, made on first read. */
  view: () => TicketView;
  /** The ticket's slots as stored (sensitive ones sealed, P1): what an answered ask journals. */
  storedSlots: TicketDoc['slots'];
  slots: Record<string, unknown>;
  abort: AbortLatch;
  approval: ApprovalContext;
  state: RunState;
  observer: ExecutionObserver | undefined;
  /** The ask a resumed run was suspended at (its answer is now in the slots). */
  awaiting: { slot: string; ask?: number } | null;
  /** The clear values of sensitive slots, masked (and sealed) wherever a tool call carries them (P1). */
  secrets: SensitiveValue[];
}

/**
 * The `ctx` a workflow's `run` receives: `call` journals each tool call write-ahead (in call
 * order, so parallel calls are fine), replays completed ones from the journal, records every
 * failure (a caught one included) as a journal step, and pauses for approvals; `ask` returns
 * a known or recorded answer or suspends the execution (E6).
 */
export function createWorkflowContext(input: ContextInput): WorkflowContext {
  let callCursor = 0;
  let askCursor = 0;
  const track = <T>(work: Promise<T>): Promise<T> => {
    input.state.inflight.add(work);
    return work.finally(() => input.state.inflight.delete(work));
  };
  return {
    slots: Object.freeze(input.slots),
    get ticket() {
      return input.view();
    },
    get signal() {
      return input.abort.signal;
    },
    call: (tool: AnyToolDefinition, raw: unknown) => {
      try {
        stopIfHalted(input);
      } catch (error) {
        return Promise.reject(error);
      }
      const index = callCursor++;
      return track(callTool(input, tool, raw, index));
    },
    ask: async (slot: AnySlotDefinition, options?: AskOptions) => {
      stopIfHalted(input);
      return askSlot(input, slot, askCursor++, options ?? {});
    },
  } as WorkflowContext;
}

function stopIfHalted(input: ContextInput): void {
  if (input.state.closed) throw new ExecutionClosedError(input.workflow.name);
  if (input.state.pause) throw new ExecutionPause(input.state.pause.reason);
  if (input.abort.aborted) throw input.abort.reason;
}

async function callTool(input: ContextInput, tool: AnyToolDefinition, raw: unknown, index: number): Promise<unknown> {
  const { journal, workflow } = input;
  const name = typeof tool?.name === 'string' ? tool.name : String(tool);
  const key = idempotencyKeyOf({ id: input.ticketId, incarnation: input.incarnation }, input.turn, index);
  const recorded = journal.steps[index];
  if (!workflow.tools.includes(tool)) {
    const notATool = typeof tool !== 'object' || tool === null || (tool as { kind?: unknown }).kind !== 'tool';
    const shown = notATool ? (typeof tool === 'string' ? `the name ${JSON.stringify(tool)}` : `a ${tool === null ? 'null' : typeof tool}`) : name;
    return failUnrun(input, index, name, key, raw, new ToolNotAllowedError(shown, workflow.name, notATool));
  }
  const parsed = parseStorable(tool.input, raw);
  if (!parsed.ok) return failUnrun(input, index, name, key, raw, new ToolInputError(name, parsed.reason));
  const stepInput = parsed.stored;
  if (recorded) {
    const replayed = replayStep(input, recorded, tool, stepInput, index);
    if (replayed.done) return replayed.value;
  } else if (needsApproval(tool, tool.input.parse(stepInput), input.approval)) {
    // P1: a sensitive value in the input is masked in the journal and sealed beside it, as for a call that runs.
    const journaled = journalValue(input.runtime, input.ticketId, key, 'input', stepInput, input.secrets);
    journal.steps[index] = {
      index,
      tool: name,
      key,
      input: journaled.shown,
      ...(journaled.sealed ? { sealedInput: journaled.sealed } : {}),
      state: 'awaiting_approval',
      attempts: 0,
      startedAt: journal.at(),
    };
    input.state.pause ??= { reason: 'approval', step: index };
    throw new ExecutionPause('approval');
  }
  return runStep(input, tool, index, key, stepInput);
}

/** A recorded step: its output or failure again (never a second call), or `done: false` for an approved step to run now. */
function replayStep(
  input: ContextInput,
  recorded: ExecutionStep,
  tool: AnyToolDefinition,
  stepInput: unknown,
  index: number,
): { done: true; value: unknown } | { done: false } {
  const recordedInput = openValue(input.runtime, input.ticketId, recorded.key, 'input', recorded.input, recorded.sealedInput);
  if (recorded.tool !== tool.name || !deepEqual(recordedInput, stepInput)) {
    throw new NondeterministicWorkflowError(`step ${index} was ${recorded.tool} with other input in the journal; workflow code must be deterministic`);
  }
  if (recorded.state === 'completed')
    return { done: true, value: tool.output.parse(openValue(input.runtime, input.ticketId, recorded.key, 'output', recorded.output, recorded.sealedOutput)) };
  if (recorded.state === 'failed') throw new RecordedStepError(recorded.tool, recorded.error ?? 'failed', thrownBefore(input, recorded));
  if (recorded.state === 'approved') return { done: false };
  if (recorded.state === 'awaiting_approval') throw new ExecutionPause('approval');
  throw new NondeterministicWorkflowError(`step ${index} (${recorded.tool}) is still ${recorded.state} in the journal`);
}

/** A call that never reached its tool (not declared, invalid input): journaled as failed, then thrown. */
function failUnrun(input: ContextInput, index: number, tool: string, key: string, raw: unknown, error: Error): never {
  const recorded = input.journal.steps[index];
  if (recorded && recorded.state === 'failed' && recorded.ran === false && recorded.tool === tool)
    throw new RecordedStepError(tool, recorded.error ?? error.message, thrownBefore(input, recorded));
  // P1: the call never ran, so nothing needs the clear input back: masked, not sealed.
  const message = errorShower(input.runtime, input.secrets)(error);
  const detail = journaledError(input, key, error);
  const safeInput = maskJson(safeJson(raw), input.secrets);
  const at = input.journal.at();
  input.journal.steps[index] = { index, tool, key, input: safeInput, state: 'failed', ran: false, error: message, ...detail, attempts: 0, startedAt: at };
  input.journal.note('step.failed', { step: index, tool, key, attempts: 0, error: message, errorDetail: detail.errorDetail, ran: false });
  throw error;
}

async function runStep(input: ContextInput, tool: AnyToolDefinition, index: number, key: string, stepInput: unknown): Promise<unknown> {
  const { journal } = input;
  const previous = journal.steps[index];
  const journaled = journalValue(input.runtime, input.ticketId, key, 'input', stepInput, input.secrets);
  journal.steps[index] = {
    ...(previous ?? {}),
    index,
    tool: tool.name,
    key,
    input: journaled.shown,
    ...(journaled.sealed ? { sealedInput: journaled.sealed } : {}),
    state: 'started',
    attempts: 1,
    startedAt: journal.at(),
  };
  try {
    await journal.write([eventStarted(journal, index, tool.name, key, journaled.shown)]);
  } catch (error) {
    journal.steps[index] = { ...journal.steps[index]!, state: 'failed', ran: false, error: errorShower(input.runtime, input.secrets)(error) };
    throw error;
  }
  const observed = input.observer?.toolCall({ tool: tool.name, step: index, key, input: journaled.shown, compensation: false });
  const started = performance.now();
  try {
    const raw = await runToolStep({
      tool,
      runner: input.runtime.tools,
      timeoutMs: effectiveTimeoutMs(tool, input.runtime.settings.toolRetry, input.runtime.settings.leaseMs),
      input: tool.input.parse(stepInput),
      journaledInput: journaled.shown,
      idempotencyKey: key,
      ticketId: input.ticketId,
      execution: input.abort,
      delays: input.runtime.settings.toolRetry,
      observer: observed,
      showError: errorShower(input.runtime, input.secrets),
      beforeRetry: async (attempt, error) => {
        journal.steps[index] = { ...journal.steps[index]!, attempts: attempt };
        await journal.write([eventRetried(journal, index, tool.name, key, attempt, error)]);
      },
    });
    const output = storedOutput(tool, raw.output);
    const durationMs = Math.round(performance.now() - started);
    const shown = journalValue(input.runtime, input.ticketId, key, 'output', output, input.secrets);
    journal.steps[index] = {
      ...journal.steps[index]!,
      state: 'completed',
      output: shown.shown,
      ...(shown.sealed ? { sealedOutput: shown.sealed } : {}),
      attempts: raw.attempts,
      durationMs,
    };
    journal.note('step.completed', { step: index, tool: tool.name, key, attempts: raw.attempts, output: shown.shown, durationMs });
    observed?.ended({ outcome: 'completed', attempts: raw.attempts, output: shown.shown });
    return tool.output.parse(output);
  } catch (error) {
    journalFailedRun(input, tool.name, index, key, error, Math.round(performance.now() - started), observed);
    throw error;
  }
}

/** Journals a step whose tool ran and failed; a tool's error may quote a sensitive value, so it is masked (P1). */
function journalFailedRun(
  input: ContextInput,
  tool: string,
  index: number,
  key: string,
  error: unknown,
  durationMs: number,
  observed: ReturnType<NonNullable<ExecutionObserver['toolCall']>> | undefined,
): void {
  const { journal } = input;
  const attempts = journal.steps[index]!.attempts;
  const message = errorShower(input.runtime, input.secrets)(error);
  const detail = journaledError(input, key, error);
  journal.steps[index] = { ...journal.steps[index]!, state: 'failed', ran: true, error: message, ...detail, durationMs };
  journal.note('step.failed', { step: index, tool, key, attempts, error: message, errorDetail: detail.errorDetail, ran: true, durationMs });
  observed?.ended({ outcome: 'failed', attempts, error: message });
}

/** The tool's output validated and in its stored (JSON) form; one that cannot be stored fails the step. */
function storedOutput(tool: AnyToolDefinition, raw: unknown): unknown {
  const parsed = parseStorable(tool.output, raw);
  if (!parsed.ok) throw new ToolOutputError(tool.name, parsed.reason);
  return parsed.stored;
}

async function askSlot(input: ContextInput, slot: AnySlotDefinition, index: number, options: AskOptions): Promise<unknown> {
  const fresh = options.fresh === true;
  const { workflow, journal, runtime } = input;
  const declared = [...workflow.required, ...workflow.optional, ...workflow.asks].includes(slot);
  if (!declared) throw new NondeterministicWorkflowError(`workflow "${workflow.name}" asks slot "${slot?.name}" without declaring it in asks`);
  const recorded = journal.answers[index];
  if (recorded) {
    if (recorded.slot !== slot.name)
      throw new NondeterministicWorkflowError(`ask ${index} was "${recorded.slot}" in the journal, now "${slot.name}"; workflow code must be deterministic`);
    return hydrate(
      slot,
      recorded.sealed !== undefined && runtime.privacy
        ? runtime.privacy.open(input.ticketId, slot.name, { value: null, source: 'user', turn: 0, sealed: recorded.sealed })
        : recorded.value,
    );
  }
  const known = input.storedSlots[slot.name];
  // The ask that suspended the run takes the value the customer has now given, even a fresh one.
  const answered = input.awaiting?.ask === index && input.awaiting.slot === slot.name;
  if (known && (!fresh || answered)) {
    journal.answers[index] = known.sealed !== undefined ? { slot: slot.name, sealed: known.sealed } : { slot: slot.name, value: known.value };
    // What was journaled, as a resume will return it (not `ctx.slots`, which holds the values the run started with).
    return hydrate(slot, known.sealed !== undefined && runtime.privacy ? runtime.privacy.open(input.ticketId, slot.name, known) : known.value);
  }
  const question = typeof options.question === 'string' && options.question.trim() !== '' ? keptQuestion(input, options.question) : undefined;
  input.state.pause ??= { reason: 'input', slot: slot.name, fresh, ask: index, ...(question ? { question } : {}) };
  throw new ExecutionPause('input');
}

/**
 * A question the workflow wrote for `ctx.ask`, as the ticket keeps and shows it: app text that
 * may restate a sensitive value or quote a card number, so it is redacted (P2) and masked of the
 * ticket's sensitive values (P1) like a reply, before the document, `input.requested` and the
 * turn's action hold it.
 */
function keptQuestion(input: ContextInput, question: string): string {
  return maskText(redactOrWithhold(input.runtime, storableText(question.slice(0, 2_000))), input.secrets);
}

/** A failed call's error as the journal keeps it: masked, and sealed in clear when it held a sensitive value (P1). */
function journaledError(input: ContextInput, key: string, error: unknown): { errorDetail: RecordedError; sealedErrorDetail?: string } {
  const journaled = journalValue(input.runtime, input.ticketId, key, 'error', recordError(error), input.secrets);
  return { errorDetail: journaled.shown as RecordedError, ...(journaled.sealed ? { sealedErrorDetail: journaled.sealed } : {}) };
}

/** The error a journaled failed call threw, as thrown (opened when sealed); undefined for journals older than error records. */
function thrownBefore(input: ContextInput, step: ExecutionStep): RecordedError | undefined {
  if (!step.errorDetail) return undefined;
  return openValue(input.runtime, input.ticketId, step.key, 'error', step.errorDetail, step.sealedErrorDetail) as RecordedError;
}

function hydrate(slot: AnySlotDefinition, stored: unknown): unknown {
  return readStored(slot.schema, stored);
}

/**
 * Whether a call waits for a person. A predicate's answer counts by truthiness, and fails
 * closed: a throw, or a promise (an `async` predicate, which the type does not allow but
 * JavaScript does; its rejection is caught), means approval.
 */
function needsApproval(tool: AnyToolDefinition, input: unknown, context: ApprovalContext): boolean {
  if (typeof tool.requiresApproval !== 'function') return tool.requiresApproval === true;
  try {
    const answer: unknown = tool.requiresApproval(input, context);
    return catchRejection(answer) || Boolean(answer);
  } catch {
    return true;
  }
}

function eventStarted(journal: ExecutionJournal, step: number, tool: string, key: string, input: unknown) {
  return { type: 'step.started' as const, at: journal.at(), data: { step, tool, key, input } };
}

function eventRetried(journal: ExecutionJournal, step: number, tool: string, key: string, attempt: number, error: string) {
  return { type: 'step.retried' as const, at: journal.at(), data: { step, tool, key, attempt, error } };
}

function safeJson(value: unknown): unknown {
  try {
    return toJsonValue(value);
  } catch {
    return null;
  }
}
