import { type AgentOptions, createAgent, MemoryStoreData, MemoryTicketStore, type TicketStore } from '@ticketflow/core';
import { MockLLM, type MockLLMOptions } from '@ticketflow/llm-mock';
import { createTestDomain } from './test-domain.js';

/** An agent on the test domain with a MockLLM and a memory store, tuned for fast tests. */
export function createHarness(harnessOptions: Partial<AgentOptions> & { mock?: MockLLMOptions; store?: TicketStore } = {}) {
  const { mock, ...options } = harnessOptions;
  const domain = createTestDomain();
  const llm = new MockLLM(mock);
  const data = new MemoryStoreData();
  const store = options.store ?? new MemoryTicketStore({ data });
  const agent = createAgent({
    store,
    llm,
    intents: domain.intents,
    workflows: domain.workflows,
    slots: domain.extraSlots,
    llmRetry: { retries: 2, minDelayMs: 1, maxDelayMs: 5, maxHintDelayMs: 50 },
    llmTimeoutMs: 200,
    ...options,
  });
  return { domain, llm, store, data, agent, backend: domain.backend };
}

/** A ticket's decision state: what T4 says must return to the last stable state. */
export function decisionState(
  ticket: { intent: unknown; slots: unknown; status: unknown; workflow: unknown; confirmation: unknown; deferred: unknown } | null,
) {
  if (!ticket) return null;
  return {
    intent: ticket.intent,
    slots: ticket.slots,
    status: ticket.status,
    workflow: ticket.workflow,
    confirmation: ticket.confirmation,
    deferred: ticket.deferred,
  };
}
