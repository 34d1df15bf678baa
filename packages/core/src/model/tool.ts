import type { z } from 'zod';
import { ConfigurationError, hasErrorMarker, markError } from '../errors/ticketflow-error.js';
import type { TicketView } from './ticket.js';
import { findAsyncPart, isAsyncFunction } from './async-schema.js';
import { findUnstorableType } from './json-value.js';
import { assertName, checkKnownKeys, isZodSchema } from './validate-definition.js';

/** What a tool's `run` receives besides its input. */
export interface ToolContext {
  /**
   * Derived from ticket id, turn and step: the same across retries of this step (pass it
   * to the backend so a retried call takes effect once), different in every other turn.
   */
  readonly idempotencyKey: string;
  /** Aborted when the tool's `timeoutMs` fires or the execution is abandoned. */
  readonly signal: AbortSignal;
  readonly ticketId: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
}

/** What a tool's `compensate` receives besides input and output. */
export interface CompensationContext {
  /** The idempotency key of the call being undone. */
  readonly idempotencyKey: string;
  readonly signal: AbortSignal;
  readonly ticketId: string;
  /**
   * Why: `failed` (the execution failed), `recovered` (a crashed execution found after its
   * lease expired; the call's outcome is unknown), `rejected` (a human rejected the approval),
   * `superseded` (a corrected, re-confirmed run replaces this one, E2a), `abandoned` (a
   * procedure the customer left, E6), `expired` (an approval that timed out, E7).
   */
  readonly reason: CompensationReason;
}

/** Why a compensation runs. */
export type CompensationReason = 'failed' | 'recovered' | 'rejected' | 'superseded' | 'abandoned' | 'expired';

/** A completed tool call of an earlier execution on the same ticket that was not undone. */
export interface PreviousToolCall {
  workflow: string;
  tool: string;
  input: unknown;
  output: unknown;
  /** The turn whose execution made the call. */
  turn: number;
}

/** What a `requiresApproval` predicate sees besides the validated input. */
export interface ApprovalContext {
  /** The ticket as of the execution's checkpoint: a frozen copy, like `ctx.ticket`. */
  readonly ticket: TicketView;
  /**
   * Calls of earlier executions on this ticket that still stand (not compensated or
   * superseded), oldest first — so a limit can hold per ticket (e.g. credits over 50 in total).
   */
  readonly previousCalls: readonly PreviousToolCall[];
}

/**
 * What `defineTool` takes. `I` and `O` are what the schemas produce (what `run` receives and
 * `ctx.call` returns); `In` and `Out` what they accept (what `ctx.call` takes and `run` returns —
 * a field with a `.default()` may be left out).
 */
export interface ToolConfig<I, O, In = I, Out = O> {
  /** Unique name; journaled with each call, used to find the compensation after a crash. */
  name: string;
  description?: string | undefined;
  /** Validated before `run`: a failure fails the step without calling the tool. */
  input: z.ZodType<I, In>;
  /**
   * Validated after `run`: a failure fails the step (and the output is not trusted). The
   * output is journaled as JSON and, when an execution resumes, replayed through this schema,
   * so the workflow sees the same type on the first run and on a replay.
   */
  output: z.ZodType<O, Out>;
  /** Does the work. Reached only through `ctx.call` inside a workflow (L3). */
  run: (input: I, context: ToolContext) => Promise<Out> | Out;
  /**
   * Undoes the call. Must be idempotent and safe when the call never took effect: after
   * a crash or a timeout the outcome is unknown and `output` is `undefined` (E4).
   */
  compensate?: ((input: I, output: O | undefined, context: CompensationContext) => Promise<void> | void) | undefined;
  /** Per-attempt time limit in ms; the attempt fails when it fires. Default 10 000. */
  timeoutMs?: number | undefined;
  /** Retries after a failed attempt (exponential backoff with jitter). Default 0. */
  retries?: number | undefined;
  /**
   * Pauses the execution for a human before this call (`agent.approve` / `agent.reject`):
   * `true`, or a synchronous predicate over the validated input and the ticket's earlier
   * calls. Its answer counts by truthiness; a predicate that throws or returns a promise asks
   * for approval (it fails closed).
   */
  requiresApproval?: (boolean | ((input: I, context: ApprovalContext) => boolean)) | undefined;
}

/**
 * A tool, as `defineTool` returns it. Workflows list these objects in `tools`. `In` and `Out`
 * are what its schemas accept (see {@link ToolConfig}).
 */
export interface ToolDefinition<I = unknown, O = unknown, Name extends string = string, In = I, Out = O> {
  readonly kind: 'tool';
  readonly name: Name;
  readonly description: string | undefined;
  readonly input: z.ZodType<I, In>;
  readonly output: z.ZodType<O, Out>;
  readonly run: (input: I, context: ToolContext) => Promise<Out> | Out;
  readonly compensate: ((input: I, output: O | undefined, context: CompensationContext) => Promise<void> | void) | undefined;
  readonly timeoutMs: number;
  /** False when `timeoutMs` is the default: the engine then shortens it to fit the agent's lease. */
  readonly timeoutExplicit: boolean;
  readonly retries: number;
  readonly requiresApproval: boolean | ((input: I, context: ApprovalContext) => boolean);
}

/** Any tool definition, whatever its input and output types. */
export type AnyToolDefinition = ToolDefinition<any, any, string, any, any>;

/** What `ctx.call` takes for a tool: what its input schema accepts. */
export type ToolInputOf<Tool> = Tool extends ToolDefinition<any, any, string, infer In, any> ? In : never;

/** The output type of a tool definition. */
export type ToolOutputOf<Tool> = Tool extends ToolDefinition<any, infer O, string, any, any> ? O : never;

/** Default per-attempt timeout of a tool. */
export const DEFAULT_TOOL_TIMEOUT_MS = 10_000;

/**
 * Declares a tool: a side effect a workflow may perform.
 *
 * @example
 * ```ts
 * const issueCredit = defineTool({ name: 'issue_credit',
 *   input: z.object({ account: z.string(), amount: z.number().positive() }), output: z.object({ creditId: z.string() }),
 *   run: (input, ctx) => billing.credit(input, { idempotencyKey: ctx.idempotencyKey }),
 *   compensate: (input, output, ctx) => billing.reverseCredit(ctx.idempotencyKey),
 *   requiresApproval: (input, { previousCalls }) => input.amount + creditedSoFar(previousCalls) > 50,
 *   timeoutMs: 5_000, retries: 2 });
 * ```
 * @throws {ConfigurationError} on a bad definition.
 */
export function defineTool<I, O, const Name extends string, In = I, Out = O>(
  config: ToolConfig<I, O, In, Out> & { name: Name },
): ToolDefinition<I, O, Name, In, Out> {
  const issues = checkToolConfig(config as unknown as ToolConfig<unknown, unknown>);
  if (issues.length > 0) throw new ConfigurationError({ message: 'Invalid tool definition', issues });
  return Object.freeze({
    kind: 'tool' as const,
    name: config.name,
    description: config.description,
    input: config.input,
    output: config.output,
    run: config.run,
    compensate: config.compensate,
    timeoutMs: config.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
    timeoutExplicit: config.timeoutMs !== undefined,
    retries: config.retries ?? 0,
    requiresApproval: config.requiresApproval ?? false,
  });
}

function checkToolConfig(config: ToolConfig<unknown, unknown>): string[] {
  const issues: string[] = [];
  assertName(issues, 'tool', config?.name);
  const name = config?.name;
  checkKnownKeys(issues, `tool "${name}"`, config, ['name', 'description', 'input', 'output', 'run', 'compensate', 'timeoutMs', 'retries', 'requiresApproval']);
  for (const field of ['input', 'output'] as const) {
    if (!isZodSchema(config?.[field])) {
      issues.push(`tool "${name}": ${field} must be a zod schema`);
      continue;
    }
    const unstorable = findUnstorableType(config[field]);
    if (unstorable)
      issues.push(
        `tool "${name}": its ${field} schema produces ${unstorable}, which cannot be journaled as JSON and read back; use a JSON type (e.g. z.coerce.date() or an ISO string)`,
      );
    const asynchronous = findAsyncPart(config[field]);
    if (asynchronous)
      issues.push(`tool "${name}": its ${field} schema has ${asynchronous}; tool inputs and outputs are parsed synchronously, so await inside run instead`);
  }
  if (typeof config?.run !== 'function') issues.push(`tool "${name}": run must be a function`);
  if (config?.compensate !== undefined && typeof config.compensate !== 'function') issues.push(`tool "${name}": compensate must be a function`);
  if (config?.timeoutMs !== undefined && !(Number.isFinite(config.timeoutMs) && config.timeoutMs > 0))
    issues.push(`tool "${name}": timeoutMs must be a positive number`);
  if (config?.retries !== undefined && !(Number.isInteger(config.retries) && config.retries >= 0 && config.retries <= 10)) {
    issues.push(`tool "${name}": retries must be an integer from 0 to 10`);
  }
  const approval = config?.requiresApproval;
  if (approval !== undefined && typeof approval !== 'boolean' && typeof approval !== 'function')
    issues.push(`tool "${name}": requiresApproval must be a boolean or a function`);
  else if (isAsyncFunction(approval))
    issues.push(`tool "${name}": requiresApproval must answer synchronously (an async predicate's promise would always ask for approval)`);
  return issues;
}

/**
 * Throw (or wrap with) this from a tool's `run` to stop retries: the step fails at once.
 * Any error with a `retryable: false` property has the same effect.
 */
export class NonRetryableError extends Error {
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetryableError';
    markError(this, NON_RETRYABLE_MARKER);
  }

  /** True for a `NonRetryableError` from any copy of the package (CommonJS or ESM build). */
  static isInstance(value: unknown): value is NonRetryableError {
    return hasErrorMarker(value, NON_RETRYABLE_MARKER);
  }
}

const NON_RETRYABLE_MARKER = Symbol.for('ticketflow.error.non_retryable');
