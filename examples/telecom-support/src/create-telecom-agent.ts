import { createAgent, type Agent, type AgentOptions, type LLM, type TicketStore } from '@ticketflow/core';
import { TelecomBackend } from './backend/telecom-backend.js';
import { createTelecomDomain, type TelecomDomain } from './domain/telecom-domain.js';
import { createTelecomLLM } from './llm/create-telecom-llm.js';
import type { Tau2World } from './tau2/world/tau2-world.js';

/** Options of {@link createTelecomAgent}: the parts, plus any `createAgent` option. */
export interface TelecomAgentOptions extends Partial<Omit<AgentOptions, 'store' | 'llm' | 'intents' | 'workflows' | 'slots'>> {
  /** Where tickets live. */
  store: TicketStore;
  /** The LLM or a fallback chain. Default: the offline telecom LLM ({@link createTelecomLLM}). */
  llm?: LLM | readonly LLM[];
  /** The backend the tools act on. Default: a new simulated {@link TelecomBackend}. */
  backend?: TelecomBackend;
  /** The carrier's records and the customer's phone (τ² world) of the mobile procedures. Default: a fresh one. */
  world?: Tau2World;
  /** Credits above this amount (euros) wait for a human approval. Default 50. */
  creditApprovalThreshold?: number;
  /** Per-attempt timeout of every tool, in ms. Default 5 000. */
  toolTimeoutMs?: number;
}

/** What {@link createTelecomAgent} returns. */
export interface TelecomAgent {
  agent: Agent;
  backend: TelecomBackend;
  /** The τ² world the carrier tools act on. */
  world: Tau2World;
  domain: TelecomDomain;
  llm: LLM | readonly LLM[];
}

/**
 * The one definition of the telecom support agent, shared by the tests, the demo, the
 * terminal chat and the HTTP server.
 *
 * @example
 * ```ts
 * const { agent } = createTelecomAgent({ store: new SqliteTicketStore({ filename: './data/tickets.db' }) });
 * const { reply, action } = await agent.handle({ ticketId: 'T-1', message: 'My fiber internet is down' });
 * ```
 * @throws {ConfigurationError} for bad `createAgent` options.
 */
export function createTelecomAgent(options: TelecomAgentOptions): TelecomAgent {
  const { store, llm: givenLLM, backend: givenBackend, world, creditApprovalThreshold, toolTimeoutMs, ...agentOptions } = options;
  const backend = givenBackend ?? new TelecomBackend();
  const llm = givenLLM ?? createTelecomLLM();
  const domain = createTelecomDomain(backend, {
    ...(world !== undefined ? { world } : {}),
    ...(creditApprovalThreshold !== undefined ? { creditApprovalThreshold } : {}),
    ...(toolTimeoutMs !== undefined ? { toolTimeoutMs } : {}),
  });
  const agent = createAgent({
    // The HTTP contract limits messages to 4,000 characters (code points); a message of
    // that many astral characters is 8,000 UTF-16 units, which is what the core counts.
    maxMessageLength: 8_000,
    ...agentOptions,
    store,
    llm,
    intents: domain.intents,
    workflows: domain.workflows,
    slots: domain.slots,
  });
  return { agent, backend, world: domain.world, domain, llm };
}
