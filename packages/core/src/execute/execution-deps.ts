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

let cachedMs = Number.NaN;
let cachedIso = '';

/** ISO time from the deps' clock (formatted once per millisecond: turns stamp many events). */
export function isoNow(deps: Pick<ExecutionDeps, 'now'>): string {
  const ms = deps.now();
  if (ms !== cachedMs) {
    cachedIso = new Date(ms).toISOString();
    cachedMs = ms;
  }
  return cachedIso;
}
