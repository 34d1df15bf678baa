/**
 * A switchable failure of one backend operation, to stage what real backends do:
 * - `fail`: every call fails (a 5xx, a refused connection);
 * - `fail-once`: the next call fails, later ones succeed (a blip that a retry absorbs);
 * - `hang`: calls never answer (until the caller's signal aborts them);
 * - `fail-compensation`: calls succeed, but undoing them fails (a saga's worst case).
 */
export type BackendFault = 'fail' | 'fail-once' | 'hang' | 'fail-compensation';

export const BACKEND_FAULTS: readonly BackendFault[] = ['fail', 'fail-once', 'hang', 'fail-compensation'];

/** An error of the simulated backend. `retryable: false` stops the engine's retries at once. */
export class BackendError extends Error {
  readonly operation: string;
  readonly retryable: boolean;

  constructor(operation: string, message: string, options: { retryable?: boolean } = {}) {
    super(`[telecom-backend] ${operation}: ${message}`);
    this.name = 'BackendError';
    this.operation = operation;
    this.retryable = options.retryable ?? true;
  }
}

/**
 * A fault for one call, chosen per call by a backend's `faultPlan` (random fault
 * injection, e.g. in a soak test), in addition to the switchable {@link BackendFault}s:
 * - `fail`: the call fails before taking effect (retryable: a 503);
 * - `refuse`: the call fails before taking effect and retrying cannot help (a 4xx);
 * - `hang`: the call never answers (until the caller's signal aborts it);
 * - `lose-reply`: the call takes effect but its answer is lost (a retryable error), so a
 *   retry with the same key must replay the recorded result rather than act again.
 */
export type CallFault = 'fail' | 'refuse' | 'hang' | 'lose-reply';
