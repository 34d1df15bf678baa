import { createAgent, MemoryStoreData, MemoryTicketStore, type TicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { createSagaDomain } from './saga-domain.js';

/** The decision every message of a crash world gets: buy two routers (the saga domain's three steps). */
export const BUY_DECISION = { intent: 'purchase', confidence: 0.95, entities: { item: 'router', quantity: 2 } };

/**
 * The saga domain on one shared memory store, with agents that play workers: `agentOn(store,
 * id, clockOffset)` is a worker with its own id whose clock runs `clockOffset` ms ahead. Wrap
 * the store in a `CrashingTicketStore` for the worker that crashes; a worker whose clock reads
 * the lease as lapsed (`maxClockSkewMs: 0`, as on one machine) takes the claim over at once.
 */
export function crashWorld(options: { leaseMs?: number; toolTimeoutMs?: number } = {}) {
  const leaseMs = options.leaseMs ?? 1_000;
  const domain = createSagaDomain({ timeoutMs: options.toolTimeoutMs ?? leaseMs });
  const base = new MemoryTicketStore({ data: new MemoryStoreData() });
  const agentOn = (store: TicketStore, instanceId: string, clockOffset = 0) =>
    createAgent({
      store,
      llm: new MockLLM({ fallback: BUY_DECISION }),
      intents: domain.intents,
      workflows: domain.workflows,
      leaseMs,
      instanceId,
      now: () => Date.now() + clockOffset,
      maxClockSkewMs: 0,
    });
  return { domain, base, agentOn, leaseMs };
}
