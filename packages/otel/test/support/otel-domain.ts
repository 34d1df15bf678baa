import { z } from 'zod';
import {
  type AgentOptions,
  createAgent,
  defineIntent,
  defineSlot,
  defineTool,
  defineWorkflow,
  type LLM,
  MemoryStoreData,
  MemoryTicketStore,
  type TicketStore,
} from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';

/**
 * A small support domain for the instrumentation tests: a line repair with three tools (the
 * last fails on cue, so the second is compensated), a refund that needs approval above 50,
 * and a procedure that asks the customer mid-workflow (`ctx.ask`).
 */
export function otelDomain() {
  const effects: string[] = [];
  const failing = new Set<string>();
  /** Called inside look_up_account's run (e.g. to read the active span). */
  const hooks: { onLookUp?: () => void } = {};
  const fail = (tool: string) => {
    if (failing.has(tool)) throw new Error(`${tool} is down for account jane@example.com`);
  };

  const account = defineSlot({ name: 'account', schema: z.string().min(3), question: 'What is your account number?' });
  const amount = defineSlot({ name: 'amount', schema: z.number().positive(), question: 'How much should we refund?' });
  const statusBar = defineSlot({ name: 'status_bar', schema: z.enum(['no_service', 'bars']), question: 'What does your status bar show?' });

  const noInternet = defineIntent({ name: 'no_internet', description: 'Internet does not work' });
  const refund = defineIntent({ name: 'refund', description: 'Wants money back' });
  const noData = defineIntent({ name: 'no_data', description: 'Mobile data does not work' });

  const lookUp = defineTool({
    name: 'look_up_account',
    input: z.object({ account: z.string() }),
    output: z.object({ plan: z.string() }),
    run: (input) => {
      fail('look_up_account');
      hooks.onLookUp?.();
      effects.push(`look_up:${input.account}`);
      return { plan: 'fiber-100' };
    },
  });
  const resetPort = defineTool({
    name: 'reset_port',
    input: z.object({ account: z.string() }),
    output: z.object({ port: z.number() }),
    run: (input) => {
      fail('reset_port');
      effects.push(`reset:${input.account}`);
      return { port: 7 };
    },
    compensate: (input) => {
      effects.push(`undo-reset:${input.account}`);
    },
  });
  const confirmFix = defineTool({
    name: 'confirm_fix',
    input: z.object({ port: z.number() }),
    output: z.object({ ok: z.boolean() }),
    retries: 1,
    run: () => {
      fail('confirm_fix');
      return { ok: true };
    },
  });
  const holdFunds = defineTool({
    name: 'hold_funds',
    input: z.object({ account: z.string(), amount: z.number() }),
    output: z.object({ holdId: z.string() }),
    run: (input) => ({ holdId: `H-${input.account}` }),
    compensate: (input) => {
      effects.push(`release-hold:${input.account}`);
    },
  });
  const issueRefund = defineTool({
    name: 'issue_refund',
    input: z.object({ account: z.string(), amount: z.number() }),
    output: z.object({ refundId: z.string() }),
    run: (input) => ({ refundId: `R-${input.account}-${input.amount}` }),
    compensate: (input) => {
      effects.push(`undo-refund:${input.account}`);
    },
    requiresApproval: (input) => input.amount > 50,
  });

  const fixLine = defineWorkflow({
    name: 'fix_line',
    intent: noInternet,
    required: [account],
    tools: [lookUp, resetPort, confirmFix],
    run: async (ctx) => {
      await ctx.call(lookUp, { account: ctx.slots.account });
      const { port } = await ctx.call(resetPort, { account: ctx.slots.account });
      await ctx.call(confirmFix, { port });
      return { status: 'resolved', reply: 'Your line works again.' };
    },
  });
  const refundFlow = defineWorkflow({
    name: 'refund',
    intent: refund,
    required: [account, amount],
    tools: [holdFunds, issueRefund],
    run: async (ctx) => {
      await ctx.call(holdFunds, { account: ctx.slots.account, amount: ctx.slots.amount });
      await ctx.call(issueRefund, { account: ctx.slots.account, amount: ctx.slots.amount });
      return { status: 'resolved', reply: 'Refunded.' };
    },
  });
  const dataProcedure = defineWorkflow({
    name: 'data_procedure',
    intent: noData,
    required: [account],
    asks: [statusBar],
    tools: [lookUp],
    run: async (ctx) => {
      await ctx.call(lookUp, { account: ctx.slots.account });
      const bar = await ctx.ask(statusBar);
      return { status: 'resolved', reply: bar === 'bars' ? 'Restart your phone.' : 'We sent a new SIM.' };
    },
  });

  return { effects, failing, hooks, intents: [noInternet, refund, noData], workflows: [fixLine, refundFlow, dataProcedure] };
}

export type OtelDomain = ReturnType<typeof otelDomain>;

/** An agent on the domain, with a MockLLM (or the given chain) and a memory store. */
export function otelAgent(options: { domain?: OtelDomain; llm?: LLM | LLM[]; store?: TicketStore; data?: MemoryStoreData } & Partial<AgentOptions> = {}) {
  const { domain = otelDomain(), llm = new MockLLM(), data = new MemoryStoreData(), store, ...rest } = options;
  const agent = createAgent({
    store: store ?? new MemoryTicketStore({ data }),
    llm,
    intents: domain.intents,
    workflows: domain.workflows,
    toolRetry: { minDelayMs: 1, maxDelayMs: 2 },
    ...rest,
  });
  return { agent, domain, data, llm: llm as MockLLM };
}

/** Decisions the mock returns, by name. */
export const DECISIONS = {
  noInternet: { intent: 'no_internet', confidence: 0.95, entities: {} },
  noInternetWithAccount: { intent: 'no_internet', confidence: 0.95, entities: { account: 'A-100' } },
  refund: { intent: 'refund', confidence: 0.95, entities: { account: 'A-200', amount: 80 } },
  smallRefund: { intent: 'refund', confidence: 0.95, entities: { account: 'A-200', amount: 20 } },
  noData: { intent: 'no_data', confidence: 0.95, entities: { account: 'A-300' } },
  statusBars: { intent: null, confidence: 0, entities: { status_bar: 'bars' } },
} as const;
