import type { PolicyContext } from '../policy/policy-context.js';
import type { Runtime } from '../runtime/runtime.js';

/** What the pure policy gets from the agent for one turn. */
export function policyContext(runtime: Runtime, turn: number, at: string, messageId: string | null = null): PolicyContext {
  const { settings } = runtime;
  return {
    registry: runtime.registry,
    confidenceThreshold: settings.confidenceThreshold,
    maxClarifications: settings.maxClarifications,
    turn,
    at,
    messageId,
    ...(runtime.privacy ? { privacy: runtime.privacy } : {}),
  };
}
