import type { ChainedLLM } from '../decide/decide.js';
import type { AgentHooks } from '../events/agent-hooks.js';
import type { ExecutionDeps } from '../execute/execution-deps.js';
import type { Registry } from '../model/registry.js';
import type { ResolvedOptions } from './agent-options.js';

/** Everything a turn needs, built once by `createAgent`. */
export interface Engine {
  options: ResolvedOptions;
  registry: Registry;
  chain: readonly ChainedLLM[];
  jsonSchema: Record<string, unknown>;
  deps: ExecutionDeps;
  hooks: AgentHooks;
}
