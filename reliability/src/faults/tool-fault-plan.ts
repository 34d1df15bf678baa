import type { TelecomBackendOptions } from '@ticketflow/example-telecom-support';
import type { SeededRandom } from './seeded-random.js';

/** The backend's per-call fault plan (`TelecomBackendOptions.faultPlan`). */
export type FaultPlan = NonNullable<TelecomBackendOptions['faultPlan']>;

/** A fault the plan may choose for one call. */
export type ToolFaultKind = NonNullable<ReturnType<FaultPlan>>;

/** The faults of tool runs, each drawn with the same probability. */
export const TOOL_FAULT_KINDS: readonly ToolFaultKind[] = ['fail', 'refuse', 'hang', 'lose-reply'];

/** Options of {@link createToolFaultPlan}. */
export interface ToolFaultPlanOptions {
  /** Share of tool runs that fail (throw, refuse, hang past the timeout, lose the reply). */
  rate: number;
  /** The faults drawn from, each equally likely. Default {@link TOOL_FAULT_KINDS}. */
  kinds?: readonly ToolFaultKind[];
  /** Share of compensations whose first attempt fails (the engine's retries absorb it). */
  undoRate: number;
  random: SeededRandom;
  /** Told about every injected fault: `fail`, `refuse`, `hang`, `lose-reply` or `undo-fail`. */
  onFault?: (kind: string) => void;
}

/**
 * A seeded fault plan for the example's backend. Tool runs fail at `rate` with one of
 * `kinds`; a compensation's first attempt fails at `undoRate` (only the
 * first, so a compensation never fails every attempt and no ticket is left to a human by
 * the injected faults alone).
 */
export function createToolFaultPlan(options: ToolFaultPlanOptions): FaultPlan {
  const undoneOnce = new Set<string>();
  return (call) => {
    if (call.kind === 'undo') {
      if (undoneOnce.has(call.key)) return null;
      undoneOnce.add(call.key);
      if (!options.random.chance(options.undoRate)) return null;
      options.onFault?.('undo-fail');
      return 'fail';
    }
    if (!options.random.chance(options.rate)) return null;
    const kind = options.random.pick(options.kinds ?? TOOL_FAULT_KINDS);
    options.onFault?.(kind);
    return kind;
  };
}
