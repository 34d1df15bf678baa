import { createHash, randomUUID } from 'node:crypto';
import { MemoryTicketStore, type LLM, type TicketStore } from '@ticketflow/core';
import { SqliteTicketStore } from '@ticketflow/adapter-sqlite';
import { createTelecomAgent, type TelecomAgent } from '../../create-telecom-agent.js';
import type { Tau2World } from '../world/tau2-world.js';

/** What the agent answered to one customer message. */
export interface AgentTurn {
  reply: string;
  /** The turn's action (`ask`, `execute`, `escalate`, `fallback`, …), as `agent.handle` returns it. */
  action: { type: string; [key: string]: unknown };
}

/** One conversation with the agent under test, on one world. */
export interface TaskSession {
  send(message: string): Promise<AgentTurn>;
  close(): Promise<void>;
}

/** Opens a conversation for a task's world (`id` names the ticket: unique per task and trial). */
export type SessionFactory = (world: Tau2World, id: string) => Promise<TaskSession>;

/** Where the harness keeps tickets. */
export type HarnessStore = { kind: 'memory' } | { kind: 'sqlite'; filename: string; restartEveryTurn: boolean };

/** Options of {@link agentSessions}. */
export interface AgentSessionOptions {
  /** The LLM (or fallback chain) that reads the customer's messages. */
  llm: LLM | readonly LLM[];
  store: HarnessStore;
  /** Extra `createAgent` options (e.g. `llmRetry`, `llmTimeoutMs`). */
  agentOptions?: Partial<Parameters<typeof createTelecomAgent>[0]>;
}

/**
 * The ticket id of one conversation: valid (1–128 of `[A-Za-z0-9._:-]`), unique per harness
 * `run` and conversation `id` (a hash of the whole id, since long ids are clipped), readable.
 */
export function conversationTicketId(run: string, id: string): string {
  const digest = createHash('sha256').update(id).digest('hex').slice(0, 10);
  return `tau2.${run}.${digest}.${id.replace(/[^A-Za-z0-9._:-]/g, '-')}`.slice(0, 120);
}

/**
 * Conversations with the telecom agent (`createTelecomAgent`) on the task's world: one ticket
 * per conversation, on a memory store or a SQLite file. With `restartEveryTurn` every message
 * is handled by a new agent on a newly opened store, as after a process restart: a procedure
 * suspended on a question must be found on disk and resumed.
 */
export function agentSessions(options: AgentSessionOptions): SessionFactory {
  // Ticket ids are unique per harness run (a SQLite file may be reused) and per conversation
  // (long task ids are clipped, so a hash of the whole id tells them apart), and readable.
  const run = randomUUID().slice(0, 8);
  return async (world, id) => {
    const ticketId = conversationTicketId(run, id);
    let turn = 0;
    const build = (store: TicketStore): TelecomAgent => createTelecomAgent({ ...options.agentOptions, store, llm: options.llm, world });
    const handle = async (telecom: TelecomAgent, message: string): Promise<AgentTurn> => {
      turn += 1;
      const result = await telecom.agent.handle({ ticketId, message, messageId: `${ticketId}.m${turn}` });
      return { reply: result.reply, action: result.action as AgentTurn['action'] };
    };
    const store = options.store;
    if (store.kind === 'sqlite' && store.restartEveryTurn) {
      return {
        send: async (message) => {
          const opened = new SqliteTicketStore({ filename: store.filename });
          try {
            return await handle(build(opened), message);
          } finally {
            await opened.close();
          }
        },
        close: async () => {},
      };
    }
    const opened: TicketStore = store.kind === 'memory' ? new MemoryTicketStore() : new SqliteTicketStore({ filename: store.filename });
    const telecom = build(opened);
    return { send: (message) => handle(telecom, message), close: () => opened.close() };
  };
}
