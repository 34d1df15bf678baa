import { z } from 'zod';
import { defineIntent, defineSlot, defineTool, defineWorkflow, type WorkflowDefinition } from '@ticketflow/core';

/**
 * A small telecom domain for engine tests: two intents, three workflows (one intent served
 * by two workflows chosen by `service_type`), an inferred stable slot, a confirmed credit
 * with compensation and approval above 50, and a backend that records every effect.
 */
export function createTestDomain() {
  const backend = createRecordingBackend();

  const phone = defineSlot({ name: 'phone', schema: z.string().regex(/^\+?[0-9 ]{6,}$/), question: 'What is your phone number?' });
  const serviceType = defineSlot({ name: 'service_type', schema: z.enum(['fiber', 'mobile', 'dsl']), question: 'Is it fiber, mobile or DSL?' });
  const region = defineSlot({
    name: 'region',
    schema: z.string().min(2),
    question: 'Which city or region are you in?',
    infer: { from: ['phone'], derive: (known) => areaCodes[String(known.phone).replace(/\D/g, '').slice(0, 3)] },
  });
  const deviceType = defineSlot({ name: 'device_type', schema: z.string().min(2), question: 'Which device do you use?' });
  const accountType = defineSlot({ name: 'account_type', schema: z.enum(['personal', 'business']), question: 'Is this a personal or a business account?' });
  const amount = defineSlot({ name: 'amount', schema: z.number().positive().max(10_000), question: 'How much should we credit?' });

  const noInternet = defineIntent({ name: 'no_internet', description: 'Internet does not work at all' });
  const billingDispute = defineIntent({ name: 'billing_dispute', description: 'A charge on the bill is wrong' });

  const checkOutage = defineTool({
    name: 'check_outage',
    input: z.object({ region: z.string() }),
    output: z.object({ outage: z.boolean() }),
    run: (input, context) => backend.run('check_outage', context.idempotencyKey, input, () => ({ outage: input.region === 'Berlin' })),
  });
  const resetModem = defineTool({
    name: 'reset_modem',
    input: z.object({ region: z.string() }),
    output: z.object({ done: z.boolean() }),
    run: (input, context) => backend.run('reset_modem', context.idempotencyKey, input, () => ({ done: true })),
    compensate: (_input, _output, context) => backend.undo('reset_modem', context.idempotencyKey),
  });
  const issueCredit = defineTool({
    name: 'issue_credit',
    input: z.object({ account: z.string(), amount: z.number() }),
    output: z.object({ creditId: z.string() }),
    run: (input, context) => backend.run('issue_credit', context.idempotencyKey, input, () => ({ creditId: `C-${context.idempotencyKey}` })),
    compensate: (_input, _output, context) => backend.undo('issue_credit', context.idempotencyKey),
    requiresApproval: (input) => input.amount > 50,
  });
  const notifyCustomer = defineTool({
    name: 'notify_customer',
    input: z.object({ text: z.string() }),
    output: z.object({ sent: z.boolean() }),
    run: (input, context) => backend.run('notify_customer', context.idempotencyKey, input, () => ({ sent: true })),
    compensate: (_input, _output, context) => backend.undo('notify_customer', context.idempotencyKey),
  });

  const fiber: WorkflowDefinition = defineWorkflow({
    name: 'fiber_troubleshoot',
    intent: noInternet,
    when: (slots) => slots.service_type === 'fiber',
    required: [serviceType, region],
    optional: [deviceType],
    tools: [checkOutage, resetModem],
    run: async (context) => {
      const { outage } = await context.call(checkOutage, { region: String(context.slots.region) });
      if (outage) return { status: 'resolved', reply: `There is an outage in ${String(context.slots.region)}.` };
      await context.call(resetModem, { region: String(context.slots.region) });
      return { status: 'resolved', reply: 'I reset your modem.' };
    },
  });
  const mobile: WorkflowDefinition = defineWorkflow({
    name: 'mobile_troubleshoot',
    intent: noInternet,
    when: (slots) => slots.service_type === 'mobile',
    required: [serviceType, region],
    tools: [checkOutage],
    run: async (context) => {
      const { outage } = await context.call(checkOutage, { region: String(context.slots.region) });
      return { status: outage ? 'escalated' : 'resolved', reply: outage ? 'A technician will call you.' : 'Please restart your phone.' };
    },
  });
  const credit: WorkflowDefinition = defineWorkflow({
    name: 'billing_credit',
    intent: billingDispute,
    description: 'credit your account',
    required: [accountType, amount],
    confirm: true,
    tools: [issueCredit, notifyCustomer],
    run: async (context) => {
      const { creditId } = await context.call(issueCredit, { account: String(context.slots.account_type), amount: Number(context.slots.amount) });
      await context.call(notifyCustomer, { text: `credit ${creditId}` });
      return { status: 'resolved', reply: `Credited ${String(context.slots.amount)} (${creditId}).` };
    },
  });

  return {
    backend,
    slots: { phone, serviceType, region, deviceType, accountType, amount },
    intents: [noInternet, billingDispute],
    extraSlots: [phone],
    workflows: [fiber, mobile, credit],
    tools: { checkOutage, resetModem, issueCredit, notifyCustomer },
  };
}

const areaCodes: Record<string, string> = { '030': 'Berlin', '040': 'Hamburg', '089': 'Munich' };

/** What the simulated backend saw: each effect by idempotency key, and each undo. */
export interface BackendEffect {
  tool: string;
  key: string;
  input: unknown;
  undone: boolean;
}

/** A backend that records effects once per idempotency key and undoes them idempotently. */
export function createRecordingBackend() {
  const effects = new Map<string, BackendEffect>();
  const runs: { tool: string; key: string }[] = [];
  const undos: { tool: string; key: string }[] = [];
  const failures = new Map<string, Error | 'hang'>();
  return {
    effects,
    runs,
    undos,
    /** The next runs of `tool` fail with `error` (or hang) until cleared. */
    failTool(tool: string, error: Error | 'hang') {
      failures.set(tool, error);
    },
    clearFailures() {
      failures.clear();
    },
    async run<T>(tool: string, key: string, input: unknown, result: () => T): Promise<T> {
      runs.push({ tool, key });
      const failure = failures.get(tool);
      if (failure === 'hang') return new Promise<T>(() => undefined);
      if (failure) throw failure;
      if (!effects.has(key)) effects.set(key, { tool, key, input, undone: false });
      return result();
    },
    async undo(tool: string, key: string): Promise<void> {
      undos.push({ tool, key });
      const failure = failures.get(`${tool}.compensate`);
      if (failure === 'hang') return new Promise(() => undefined);
      if (failure) throw failure;
      const effect = effects.get(key);
      if (effect) effect.undone = true;
    },
    /** Effects that took place and were not undone. */
    live(): BackendEffect[] {
      return [...effects.values()].filter((effect) => !effect.undone);
    },
  };
}
