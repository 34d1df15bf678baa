import Database from 'better-sqlite3';
import { type Agent, createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, type TicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { z } from 'zod';

/** The zombie regression's agent and its effects table. */
export interface ZombieAgent {
  agent: Agent;
  /** Keys whose effect is in place. */
  effects(): string[];
  close(): void;
}

/**
 * The agent of the zombie regression: one workflow with one tool, `grant_credit`, that
 * acts on a plain table (insert on run, delete on compensate). Its compensation meets the
 * core's contract (E4): idempotent, and safe when the call never took effect.
 */
export function createZombieAgent(options: {
  store: TicketStore;
  effectsFile: string;
  instanceId: string;
  leaseMs: number;
  onToolStart?: (key: string) => void;
  toolDelayMs?: number;
}): ZombieAgent {
  const database = new Database(options.effectsFile, { timeout: 5_000 });
  database.exec('CREATE TABLE IF NOT EXISTS effects (key TEXT PRIMARY KEY)');
  const region = defineSlot({ name: 'region', schema: z.string().min(2), question: 'Which city?' });
  const dispute = defineIntent({ name: 'billing_dispute', description: 'Wants money back' });
  const grantCredit = defineTool({
    name: 'grant_credit',
    input: z.object({ region: z.string() }),
    output: z.object({ ok: z.boolean() }),
    run: async (_input, context) => {
      options.onToolStart?.(context.idempotencyKey);
      await new Promise((resolve) => setTimeout(resolve, options.toolDelayMs ?? 0));
      database.prepare('INSERT OR IGNORE INTO effects (key) VALUES (?)').run(context.idempotencyKey);
      return { ok: true };
    },
    compensate: (_input, _output, context) => {
      database.prepare('DELETE FROM effects WHERE key = ?').run(context.idempotencyKey);
    },
    // Within the 500 ms lease: the core refuses a tool whose budget does not fit its lease.
    timeoutMs: 400,
  });
  const workflow = defineWorkflow({
    name: 'credit',
    intent: dispute,
    required: [region],
    tools: [grantCredit],
    run: async (context) => {
      await context.call(grantCredit, { region: String(context.slots.region) });
      return { status: 'resolved', reply: 'credited' };
    },
  });
  const llm = new MockLLM({
    rules: [{ match: /credit|refund/i, intent: 'billing_dispute', confidence: 0.9 }],
    extractors: [{ slot: 'region', pattern: /in ([A-Z][a-z]+)/ }],
  });
  const agent = createAgent({ store: options.store, llm, intents: [dispute], workflows: [workflow], leaseMs: options.leaseMs, instanceId: options.instanceId });
  return {
    agent,
    effects: () =>
      database
        .prepare<[], { key: string }>('SELECT key FROM effects')
        .all()
        .map((row) => row.key),
    close: () => database.close(),
  };
}
