/** Errors that end an execution. They stay inside the turn: the user gets a safe reply (E3). */

/** `ctx.call` with a tool the workflow does not list (E4). */
export class ToolNotAllowedError extends Error {
  readonly retryable = false;
  constructor(tool: string, workflow: string) {
    super(`workflow "${workflow}" does not list tool "${tool}" in its tools`);
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
  constructor(ticketId: string, beforeClaim = false) {
    super(`lost the claim on ticket ${JSON.stringify(ticketId.slice(0, 80))}: ${beforeClaim ? 'another turn committed first' : 'another worker took it over'}`);
    this.name = 'ClaimLostError';
    this.beforeClaim = beforeClaim;
  }
}

/** Unwinds `run` when a step must wait for a human approval. Not a failure. */
export class ApprovalPause extends Error {
  constructor() {
    super('execution paused for approval');
    this.name = 'ApprovalPause';
  }
}

/** A short, secret-free description of any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 500);
  return String(error).slice(0, 500);
}
