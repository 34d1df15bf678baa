// The ESM side of a mixed project: a workflow made with the CommonJS declarations is a
// WorkflowDefinition for createAgent and replayTicket of the ESM declarations.
import { createAgent, MemoryTicketStore, replayTicket } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { intents, workflows } from './mixed-definitions.cjs';

export function mixedAgent() {
  const store = new MemoryTicketStore();
  const agent = createAgent({ store, llm: [new MockLLM()], intents, workflows });
  return { agent, replay: (ticketId: string) => replayTicket({ store, ticketId, intents, workflows }) };
}
