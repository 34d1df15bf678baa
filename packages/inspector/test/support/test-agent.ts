import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryTicketStore, type Agent, type AgentOptions } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { z } from 'zod';

/** Switches for the test backend: which call fails. */
export interface Faults {
  notify: boolean;
  undoCredit: boolean;
}

/**
 * A small refund domain with every path the inspector shows: a credit over 50 waits for
 * approval, a failing notification rolls the credit back (compensation), and a failing
 * undo leaves the ticket to a human.
 */
export function createTestAgent(options: Partial<AgentOptions> = {}) {
  const faults: Faults = { notify: false, undoCredit: false };
  const effects: string[] = [];
  const amount = defineSlot({ name: 'amount', schema: z.number().positive(), question: 'How much should we refund?' });
  const account = defineSlot({ name: 'account', schema: z.string().min(2), question: 'Which account?' });
  const refund = defineIntent({ name: 'refund', description: 'The customer wants money back' });
  const reserve = defineTool({
    name: 'reserve_funds',
    input: z.object({ account: z.string(), amount: z.number() }),
    output: z.object({ reservation: z.string() }),
    run: (input, ctx) => (effects.push(`reserve:${withoutLife(ctx.idempotencyKey)}`), { reservation: `R-${input.account}` }),
    compensate: (_input, _output, ctx) => void effects.push(`unreserve:${withoutLife(ctx.idempotencyKey)}`),
  });
  const issueCredit = defineTool({
    name: 'issue_credit',
    input: z.object({ account: z.string(), amount: z.number() }),
    output: z.object({ creditId: z.string() }),
    requiresApproval: (input) => input.amount > 50,
    run: (input, ctx) => (effects.push(`credit:${withoutLife(ctx.idempotencyKey)}`), { creditId: `C-${input.account}-${input.amount}` }),
    compensate: (_input, _output, ctx) => {
      if (faults.undoCredit) throw new Error('billing refused the reversal');
      effects.push(`uncredit:${withoutLife(ctx.idempotencyKey)}`);
    },
  });
  const notify = defineTool({
    name: 'notify',
    input: z.object({ account: z.string() }),
    output: z.object({ sent: z.boolean() }),
    retries: 1,
    run: () => {
      if (faults.notify) throw new Error('SMS gateway down');
      return { sent: true };
    },
  });
  const credit = defineWorkflow({
    name: 'credit',
    intent: refund,
    required: [amount, account],
    tools: [reserve, issueCredit, notify],
    run: async (ctx) => {
      const values = { account: String(ctx.slots.account), amount: Number(ctx.slots.amount) };
      await ctx.call(reserve, values);
      const { creditId } = await ctx.call(issueCredit, values);
      await ctx.call(notify, { account: values.account });
      return { status: 'resolved', reply: `Credit ${creditId} issued.` };
    },
  });
  const llm = new MockLLM({
    rules: [{ match: /refund|money back/i, intent: 'refund', confidence: 0.95 }],
    extractors: [
      { slot: 'amount', pattern: /(\d+) ?(?:€|eur)/i, map: Number },
      { slot: 'account', pattern: /account ([A-Z0-9-]+)/i },
    ],
  });
  const store = new MemoryTicketStore();
  const intents = [refund];
  const workflows = [credit];
  const agent: Agent = createAgent({ store, llm, intents, workflows, toolRetry: { minDelayMs: 1, maxDelayMs: 2 }, ...options });
  return { agent, store, llm, faults, effects, intents, workflows };
}

export type TestAgent = ReturnType<typeof createTestAgent>;

/** A key without its life segment (`<ticketId>:<turn>:<step>`), for readable expectations. */
function withoutLife(key: string): string {
  return key.replace(/:[^:]{8}(:\d+:\d+)$/, '$1');
}
