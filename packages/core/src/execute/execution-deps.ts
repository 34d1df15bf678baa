import type { Replies } from '../agent/replies.js';
import type { Registry } from '../model/registry.js';
import type { TicketStore } from '../store/ticket-store.js';
import type { ToolRetryDelays } from './run-tool-step.js';

/** What the executor needs from the agent. */
export interface ExecutionDeps {
  store: TicketStore;
  registry: Registry;
  leaseMs: number;
  now: () => number;
  instanceId: string;
  toolDelays: ToolRetryDelays;
  replies: Replies;
  transcriptWindow: number;
  messageIdWindow: number;
}

/** ISO time from the deps' clock. */
export function isoNow(deps: Pick<ExecutionDeps, 'now'>): string {
  return new Date(deps.now()).toISOString();
}
