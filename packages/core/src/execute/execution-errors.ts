import { redactSecrets } from '../errors/redact.js';
import { storableText } from '../model/json-value.js';
import type { RecordedError } from '../model/ticket.js';

/** Errors that end an execution. They stay inside the turn: the user gets a safe reply (E3). */

/** `ctx.call` with a tool the workflow does not list (E4). */
export class ToolNotAllowedError extends Error {
  readonly retryable = false;
  constructor(tool: string, workflow: string, notATool = false) {
    super(
      notATool
        ? `workflow "${workflow}": ctx.call takes the tool object defineTool returned, not ${tool}`
        : `workflow "${workflow}" does not list tool "${tool}" in its tools`,
    );
    this.name = 'ToolNotAllowedError';
  }
}

/** The input given to `ctx.call` fails the tool's input schema; the tool was not called. */
export class ToolInputError extends Error {
  readonly retryable = false;
  constructor(tool: string, reason: string) {
    super(`invalid input for tool "${tool}": ${reason}`);
    this.name = 'ToolInputError';
  }
}

/** The tool's output fails its output schema; the output is not trusted. */
export class ToolOutputError extends Error {
  readonly retryable = false;
  constructor(tool: string, reason: string) {
    super(`invalid output from tool "${tool}": ${reason}`);
    this.name = 'ToolOutputError';
  }
}

/** An attempt of a tool took longer than its `timeoutMs`. */
export class ToolTimeoutError extends Error {
  constructor(tool: string, timeoutMs: number) {
    super(`tool "${tool}" did not finish within ${timeoutMs} ms`);
    this.name = 'ToolTimeoutError';
  }
}

/** A resumed workflow called its tools in another order than the journal recorded. */
export class NondeterministicWorkflowError extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'NondeterministicWorkflowError';
  }
}

/** `run` returned something that is not a workflow result. */
export class InvalidWorkflowResultError extends Error {
  constructor(workflow: string, reason: string) {
    super(`workflow "${workflow}" returned an invalid result: ${reason}`);
    this.name = 'InvalidWorkflowResultError';
  }
}

/**
 * A compare-and-set lost during an execution. `beforeClaim`: the write carried the staged
 * checkpoint, so another turn simply got there first (re-run the turn; no tool ran).
 * Otherwise another worker took the ticket over after our lease expired: stop, run nothing more.
 */
export class ClaimLostError extends Error {
  readonly beforeClaim: boolean;
  /** The ticket no longer exists (erased, or the store lost it) — it must not be re-created. */
  readonly gone: boolean;
  constructor(ticketId: string, options: { beforeClaim?: boolean; gone?: boolean } = {}) {
    const why = options.gone
      ? 'the ticket is gone (erased, or the store lost it)'
      : options.beforeClaim
        ? 'another turn committed first'
        : 'another worker took it over';
    super(`lost the claim on ticket ${JSON.stringify(ticketId.slice(0, 80))}: ${why}`);
    this.name = 'ClaimLostError';
    this.beforeClaim = options.beforeClaim ?? false;
    this.gone = options.gone ?? false;
  }
}

/**
 * Unwinds `run` when the execution must wait: for a human approval of a step, or for the
 * customer's answer to `ctx.ask` (E6). Not a failure; a workflow that catches it is still
 * suspended (the engine remembers, whatever `run` does next).
 */
export class ExecutionPause extends Error {
  constructor(readonly reason: 'approval' | 'input') {
    super(reason === 'approval' ? 'execution paused for approval' : 'execution suspended until the customer answers');
    this.name = 'ExecutionPause';
  }
}

/** A short description of any thrown value, storable on every store (see `storableText`). */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return storableText(text.slice(0, 500));
}

/**
 * A journaled call that failed before, thrown again when the execution replays it (never a
 * second call): with the recorded name, message and fields of the error the tool threw (so a
 * workflow that catches it branches as it did), or — for journals older than that — a message
 * naming the tool and the recorded text.
 */
export class RecordedStepError extends Error {
  readonly retryable = false;
  constructor(tool: string, recorded: string, detail?: RecordedError) {
    super(detail ? detail.message : `tool "${tool}" failed earlier in this execution: ${recorded}`);
    this.name = 'RecordedStepError';
    if (detail) restoreError(this, detail);
  }
}

/** Gives `error` the recorded name and fields (never its message, stack or cause). */
export function restoreError(error: Error, detail: RecordedError): void {
  error.name = detail.name;
  for (const [field, value] of Object.entries(detail.fields ?? {})) {
    if (!PROTECTED_FIELDS.has(field)) Object.defineProperty(error, field, { value, enumerable: true, writable: true, configurable: true });
  }
}

/** Fields an error's record never carries or restores. */
const PROTECTED_FIELDS = new Set(['name', 'message', 'stack', 'cause', '__proto__', 'constructor', 'retryable']);

/** The most fields of an error journaled, and the longest field name. */
const MAX_ERROR_FIELDS = 16;
const FIELD_NAME = /^[A-Za-z_$][\w$]{0,63}$/;

/**
 * An error as thrown: its name, its message and its simple own fields (strings, finite
 * numbers, booleans, null; at most 16). The journal keeps it like a tool input — sensitive
 * values masked, the clear record sealed (P1) — so a resumed run gets it back unchanged, but
 * for credentials in its texts, which are scrubbed before anything is kept (O4).
 */
export function recordError(error: unknown): RecordedError {
  // Credentials a client library quotes (`?key=…`, `Authorization: Bearer …`) never reach the journal (O4).
  const text = (value: string) => storableText(redactSecrets(value.slice(0, 2_000)));
  if (!(error instanceof Error)) return { name: 'Error', message: text(String(error)) };
  const fields: Record<string, string | number | boolean | null> = {};
  let count = 0;
  for (const field of Object.keys(error)) {
    if (count >= MAX_ERROR_FIELDS || PROTECTED_FIELDS.has(field) || !FIELD_NAME.test(field)) continue;
    const value: unknown = (error as unknown as Record<string, unknown>)[field];
    if (typeof value === 'string') fields[field] = text(value);
    else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' || value === null) fields[field] = value;
    else continue;
    count++;
  }
  const name = typeof error.name === 'string' && error.name !== '' ? storableText(error.name.slice(0, 100)) : 'Error';
  return { name, message: text(String(error.message)), ...(count > 0 ? { fields } : {}) };
}

/** A `ctx.call` or `ctx.ask` made after the workflow's `run` was over: refused, the tool is not called. */
export class ExecutionClosedError extends Error {
  readonly retryable = false;
  constructor(workflow: string) {
    super(`workflow "${workflow}": ctx.call/ctx.ask after run() was over (await every call inside run)`);
    this.name = 'ExecutionClosedError';
  }
}

/** `run` did not settle within `executionTimeoutMs`: the execution is abandoned and compensated. */
export class ExecutionTimeoutError extends Error {
  readonly retryable = false;
  constructor(workflow: string, timeoutMs: number) {
    super(`workflow "${workflow}" did not finish within ${timeoutMs} ms`);
    this.name = 'ExecutionTimeoutError';
  }
}
