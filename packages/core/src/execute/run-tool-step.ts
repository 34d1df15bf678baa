import pRetry, { AbortError } from 'p-retry';
import type { ToolDefinition } from '../model/tool.js';
import { backoffDelay, raceAbort, sleep } from '../util/sleep.js';
import { describeError, ToolTimeoutError } from './execution-errors.js';

/** Backoff between tool attempts. */
export interface ToolRetryDelays {
  minDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_TOOL_RETRY_DELAYS: ToolRetryDelays = { minDelayMs: 100, maxDelayMs: 2_000 };

export interface ToolStepRequest {
  tool: ToolDefinition;
  input: unknown;
  idempotencyKey: string;
  ticketId: string;
  /** Aborted when the execution is abandoned. */
  signal: AbortSignal;
  delays: ToolRetryDelays;
  /** Called before each retry (after the backoff), e.g. to journal the attempt and renew the lease. */
  beforeRetry: (attempt: number, error: string) => Promise<void>;
}

/**
 * Runs one tool call with its per-attempt timeout (the tool gets an AbortSignal; a tool
 * that ignores it is abandoned, not awaited) and its retries (exponential backoff with
 * jitter; an error with `retryable: false` stops at once). Every retry uses the same
 * idempotency key (E5). Resolves with the raw output (not yet validated).
 */
export async function runToolStep(request: ToolStepRequest): Promise<{ output: unknown; attempts: number }> {
  const { tool } = request;
  let attempts = 0;
  const output = await pRetry(
    async (attemptNumber) => {
      attempts = attemptNumber;
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(new ToolTimeoutError(tool.name, tool.timeoutMs)), tool.timeoutMs);
      const signal = AbortSignal.any([timeout.signal, request.signal]);
      try {
        const running = Promise.resolve().then(() =>
          tool.run(request.input, { idempotencyKey: request.idempotencyKey, signal, ticketId: request.ticketId, attempt: attemptNumber }),
        );
        return await raceAbort(running, signal, () => (timeout.signal.aborted ? timeout.signal.reason : request.signal.reason));
      } catch (thrown) {
        const error = thrown instanceof Error ? thrown : new Error(describeError(thrown));
        if ((error as { retryable?: unknown }).retryable === false || request.signal.aborted) throw new AbortError(error);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
    {
      retries: tool.retries,
      minTimeout: 0,
      shouldRetry: async ({ error, attemptNumber }) => {
        await sleep(backoffDelay(attemptNumber, request.delays.minDelayMs, request.delays.maxDelayMs), request.signal);
        await request.beforeRetry(attemptNumber + 1, describeError(error));
        return true;
      },
    },
  );
  return { output, attempts };
}
