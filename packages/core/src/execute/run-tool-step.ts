import pRetry, { AbortError } from 'p-retry';
import type { ToolDefinition } from '../model/tool.js';
import { backoffDelay, sleep } from '../util/sleep.js';
import type { AbortLatch } from '../util/abort-latch.js';
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
  /** Aborts when the execution is abandoned. */
  execution: AbortLatch;
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
  // The first attempt runs bare: a healthy tool costs no retry machinery.
  try {
    return { output: await attemptTool(request, 1), attempts: 1 };
  } catch (thrown) {
    if (thrown instanceof AbortError) throw thrown.originalError;
    if (request.tool.retries === 0) throw thrown;
    let attempts = 1;
    await sleep(backoffDelay(1, request.delays.minDelayMs, request.delays.maxDelayMs), request.execution.signal);
    await request.beforeRetry(2, describeError(thrown));
    const output = await pRetry(
      (retry) => {
        attempts = retry + 1;
        return attemptTool(request, attempts);
      },
      {
        retries: request.tool.retries - 1,
        minTimeout: 0,
        shouldRetry: async ({ error, attemptNumber }) => {
          await sleep(backoffDelay(attemptNumber + 1, request.delays.minDelayMs, request.delays.maxDelayMs), request.execution.signal);
          await request.beforeRetry(attemptNumber + 2, describeError(error));
          return true;
        },
      },
    );
    return { output, attempts };
  }
}

/** One attempt under the tool's timeout; throws `AbortError` when retrying cannot help. */
async function attemptTool(request: ToolStepRequest, attempt: number): Promise<unknown> {
  const { tool } = request;
  const signal = new LazySignal(request.execution);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ToolTimeoutError(tool.name, tool.timeoutMs);
      signal.abort(error);
      reject(error);
    }, tool.timeoutMs);
    signal.onAbandon = reject;
  });
  stopped.catch(() => undefined);
  try {
    const context = {
      idempotencyKey: request.idempotencyKey,
      ticketId: request.ticketId,
      attempt,
      get signal() {
        return signal.get();
      },
    };
    const running = Promise.resolve().then(() => tool.run(request.input, context));
    return await Promise.race([running, stopped]);
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(describeError(thrown));
    if ((error as { retryable?: unknown }).retryable === false || request.execution.aborted) throw new AbortError(error);
    throw error;
  } finally {
    clearTimeout(timer);
    signal.dispose();
  }
}

/**
 * The AbortSignal a tool attempt receives, created only when the tool reads `ctx.signal`:
 * most tools never do, and an AbortController plus its listeners cost more than the rest
 * of the step. It aborts on the attempt's timeout or when the execution is abandoned.
 */
class LazySignal {
  onAbandon: ((reason: unknown) => void) | undefined;
  private controller: AbortController | undefined;
  private reason: unknown;
  private aborted = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly execution: AbortLatch) {}

  get(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
      else
        this.unsubscribe = this.execution.onAbort((reason) => {
          this.abort(reason);
          this.onAbandon?.(reason);
        });
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
  }

  dispose(): void {
    this.unsubscribe?.();
  }
}
