import type { ToolCallObserver } from '../events/instrumentation.js';
import type { AnyToolDefinition } from '../model/tool.js';
import type { ToolRunner } from '../runtime/runtime.js';
import type { AbortLatch } from '../util/abort-latch.js';
import { withRetries } from '../util/retry.js';
import { withDeadline } from '../util/deadline.js';
import { describeError, ToolTimeoutError } from './execution-errors.js';
import type { ShowError } from './shown-error.js';

/** Backoff between tool attempts. */
export interface ToolRetryDelays {
  minDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_TOOL_RETRY_DELAYS: ToolRetryDelays = { minDelayMs: 100, maxDelayMs: 2_000 };

/** One journaled tool call to run. */
export interface ToolStepRequest {
  tool: AnyToolDefinition;
  /** The per-attempt deadline: the tool's `timeoutMs`, or the lease-fitting default (see {@link effectiveTimeoutMs}). */
  timeoutMs: number;
  input: unknown;
  /** The input as the journal shows it (sensitive values masked, P1): what a {@link ToolRunner} compares and reports. */
  journaledInput: unknown;
  idempotencyKey: string;
  ticketId: string;
  /** Aborts when the execution is abandoned (its claim was lost). */
  execution: AbortLatch;
  delays: ToolRetryDelays;
  /** How the failed attempt's error is shown (masked and redacted, P1/P2) to `beforeRetry` and the observer. */
  showError: ShowError;
  /** Called before each retry with the shown error, e.g. to journal the attempt (which renews the lease). */
  beforeRetry: (attempt: number, error: string) => Promise<void>;
  observer: ToolCallObserver | undefined;
  /** Runs the call instead of `tool.run` (replays). */
  runner?: ToolRunner | undefined;
}

/**
 * The longest a tool call may take, all attempts and backoffs included: it must fit the
 * lease, or the claim could lapse while the tool still runs (checked by `createAgent`).
 */
export function toolBudgetMs(tool: AnyToolDefinition, delays: ToolRetryDelays, timeoutMs: number = tool.timeoutMs): number {
  return timeoutMs * (tool.retries + 1) + tool.retries * delays.maxDelayMs;
}

/**
 * A tool's per-attempt deadline under a lease: its own `timeoutMs` when it set one (which
 * `createAgent` checked fits), else the default shortened so that every attempt and backoff
 * fits the lease.
 */
export function effectiveTimeoutMs(tool: AnyToolDefinition, delays: ToolRetryDelays, leaseMs: number): number {
  if (tool.timeoutExplicit) return tool.timeoutMs;
  const fitting = Math.floor((leaseMs - tool.retries * delays.maxDelayMs) / (tool.retries + 1));
  return Math.max(1, Math.min(tool.timeoutMs, fitting));
}

/**
 * Runs one tool call with its per-attempt deadline (the tool gets an AbortSignal that fires
 * on the deadline or when the execution is abandoned; a tool that ignores it is abandoned,
 * not awaited) and its retries (the core's one retry helper; an error with
 * `retryable: false` stops at once). Every retry uses the same idempotency key (E5).
 * Resolves with the raw output (not yet validated) and the attempts made.
 */
export async function runToolStep(request: ToolStepRequest): Promise<{ output: unknown; attempts: number }> {
  let attempts = 0;
  const output = await withRetries(
    (attempt) => {
      attempts = attempt;
      return attemptTool(request, attempt);
    },
    {
      policy: { retries: request.tool.retries, minDelayMs: request.delays.minDelayMs, maxDelayMs: request.delays.maxDelayMs },
      canRetry: (error) => (error as { retryable?: unknown } | null)?.retryable !== false && !request.execution.aborted,
      beforeRetry: async (attempt, error) => {
        const shown = request.showError(error);
        request.observer?.retried?.(attempt, shown);
        await request.beforeRetry(attempt, shown);
      },
      signal: request.execution.signal,
    },
  );
  return { output, attempts };
}

/** One attempt under the tool's deadline. */
async function attemptTool(request: ToolStepRequest, attempt: number): Promise<unknown> {
  const { tool, execution } = request;
  const timeoutMs = request.timeoutMs;
  const deadline = withDeadline(timeoutMs, execution.signal, { timeoutReason: () => new ToolTimeoutError(tool.name, timeoutMs) });
  const { signal } = deadline;
  const context = { idempotencyKey: request.idempotencyKey, ticketId: request.ticketId, attempt, signal };
  const call = () =>
    Promise.resolve().then(() =>
      request.runner ? request.runner.run(tool, request.input, context, request.journaledInput) : tool.run(request.input, context),
    );
  const running = request.observer?.run ? request.observer.run(call) : call();
  try {
    return await deadline.race(running, () => signal.reason);
  } catch (thrown) {
    throw thrown instanceof Error ? thrown : new Error(describeError(thrown));
  } finally {
    deadline.dispose();
  }
}
