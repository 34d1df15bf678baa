import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryTicketStore, TicketStateError, InvalidArgumentError } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { createHarness } from './support/agent-harness.js';
import { createRecordingBackend } from './support/test-domain.js';
import { watchUnhandledRejections } from './support/unhandled-rejections.js';

describe('executor: confirmation and approval', () => {
  it('E2 confirms, runs on yes, and spends the values: a thanks never credits twice', async () => {
    const { agent, llm, backend } = createHarness();
    llm.enqueue({ intent: 'billing_dispute', confidence: 0.9, entities: { account_type: 'personal', amount: 20 } });
    const asked = await agent.handle({ ticketId: 'C-1', message: 'you overcharged me 20 on my personal account' });
    expect(asked.action).toMatchObject({ type: 'ask', slot: 'confirm', question: expect.stringContaining('20') });
    llm.enqueue({ intent: null, confidence: 0.2, entities: { confirm: true } });
    const done = await agent.handle({ ticketId: 'C-1', message: 'yes' });
    expect(done.action).toEqual({ type: 'execute', workflow: 'billing_credit', outcome: 'resolved' });
    expect(done.ticket.slots.amount?.spent).toBe(true);
    llm.enqueue({ intent: 'billing_dispute', confidence: 0.9, entities: { confirm: true } });
    expect((await agent.handle({ ticketId: 'C-1', message: 'thanks, yes!' })).action).toEqual({ type: 'acknowledge' });
    expect(backend.runs.filter((run) => run.tool === 'issue_credit')).toHaveLength(1);
  });

  it('E2 a no cancels and nothing runs', async () => {
    const { agent, llm, backend } = createHarness();
    llm.enqueue(
      { intent: 'billing_dispute', confidence: 0.9, entities: { account_type: 'personal', amount: 20 } },
      { intent: null, confidence: 0.2, entities: { confirm: false } },
    );
    await agent.handle({ ticketId: 'C-2', message: 'refund 20' });
    const cancelled = await agent.handle({ ticketId: 'C-2', message: 'no' });
    expect(cancelled.action).toEqual({ type: 'cancelled', workflow: 'billing_credit' });
    expect(backend.runs).toEqual([]);
  });

  it('pauses a step above the approval threshold; a message meanwhile waits; approve runs it and records the approver', async () => {
    const { agent, llm, backend } = createHarness();
    llm.enqueue(
      { intent: 'billing_dispute', confidence: 0.9, entities: { account_type: 'business', amount: 80 } },
      { intent: null, confidence: 0.2, entities: { confirm: true } },
    );
    await agent.handle({ ticketId: 'A-1', message: 'refund 80' });
    const paused = await agent.handle({ ticketId: 'A-1', message: 'yes' });
    expect(paused.action).toEqual({ type: 'execute', workflow: 'billing_credit', outcome: 'awaiting_approval' });
    expect(paused.ticket.status).toBe('awaiting_approval');
    expect(backend.runs).toEqual([]);
    const waiting = await agent.handle({ ticketId: 'A-1', message: 'any news?' });
    expect(waiting.action).toEqual({ type: 'wait', workflow: 'billing_credit', reason: 'awaiting_approval' });
    const approved = await agent.approve('A-1', { by: 'agent-42', note: 'loyal customer' });
    expect(approved.action).toEqual({ type: 'execute', workflow: 'billing_credit', outcome: 'resolved' });
    expect(approved.ticket.status).toBe('resolved');
    expect(backend.runs.map((run) => run.tool)).toEqual(['issue_credit', 'notify_customer']);
    const { events } = await agent.inspect('A-1');
    expect(events.find((event) => event.type === 'approval.granted')?.data).toMatchObject({ by: 'agent-42', note: 'loyal customer', tool: 'issue_credit' });
    // The approved result answers the paused turn: logged as a reply, not as another turn.
    const afterApproval = events.slice(events.findIndex((event) => event.type === 'approval.granted'));
    expect(afterApproval.filter((event) => event.type === 'turn.completed')).toEqual([]);
    expect(afterApproval.find((event) => event.type === 'reply.sent')?.data).toMatchObject({ turn: 2, action: { type: 'execute', outcome: 'resolved' } });
    const turns = events.filter((event) => event.type === 'turn.completed').map((event) => event.data?.turn);
    expect(new Set(turns).size).toBe(turns.length);
    await expect(agent.approve('A-1', { by: 'agent-42' })).rejects.toSatisfy((error: unknown) => TicketStateError.isInstance(error));
  });

  it('a requiresApproval predicate fails closed: a throw, a promise or a truthy answer pauses the call; a falsy one runs it', async () => {
    const region = defineSlot({ name: 'region', schema: z.string(), question: 'Which city?' });
    const intent = defineIntent({ name: 'refund', description: 'The customer wants money back' });
    const unhandled = watchUnhandledRejections();
    const outcomes: Record<string, string> = {};
    const predicates: [string, () => unknown][] = [
      ['throws', () => JSON.parse('{')],
      ['a rejected promise', () => Promise.reject(new Error('the limits service is down'))],
      ['a promise of false', () => Promise.resolve(false)],
      ['a truthy string', () => 'yes'],
      ['false', () => false],
      ['undefined', () => undefined],
    ];
    for (const [label, predicate] of predicates) {
      const runs: string[] = [];
      const refund = defineTool({
        name: 'refund',
        input: z.object({ region: z.string() }),
        output: z.object({ ok: z.boolean() }),
        run: async (input) => (runs.push(input.region), { ok: true }),
        requiresApproval: predicate as () => boolean,
      });
      const workflow = defineWorkflow({
        name: 'refund',
        intent,
        required: [region],
        tools: [refund],
        run: async (ctx) => (await ctx.call(refund, { region: ctx.slots.region }), { status: 'resolved', reply: 'Refunded.' }),
      });
      const llm = new MockLLM({ fallback: { intent: 'refund', confidence: 0.9, entities: { region: 'Berlin' } } });
      const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [intent], workflows: [workflow] });
      const result = await agent.handle({ ticketId: 'R-1', message: 'refund please', messageId: 'm-1' });
      outcomes[label] = `${result.action.type === 'execute' ? result.action.outcome : result.action.type}, ran ${runs.length}`;
    }
    await unhandled.settle();
    unhandled.stop();
    expect(outcomes).toEqual({
      throws: 'awaiting_approval, ran 0',
      'a rejected promise': 'awaiting_approval, ran 0',
      'a promise of false': 'awaiting_approval, ran 0',
      'a truthy string': 'awaiting_approval, ran 0',
      false: 'resolved, ran 1',
      undefined: 'resolved, ran 1',
    });
    expect(unhandled.reasons).toEqual([]);
    // An async predicate is refused where the tool is defined.
    expect(() =>
      defineTool({
        name: 'refund',
        input: z.object({}),
        output: z.object({}),
        run: async () => ({}),
        requiresApproval: (async () => false) as unknown as () => boolean,
      }),
    ).toThrow('requiresApproval must answer synchronously');
  });

  it('reject compensates the steps already run and closes the execution', async () => {
    const backend = createRecordingBackend();
    const account = defineSlot({ name: 'account', schema: z.string(), question: 'Which account?' });
    const intent = defineIntent({ name: 'refund', description: 'Refund a payment' });
    const hold = defineTool({
      name: 'hold_funds',
      input: z.object({ account: z.string() }),
      output: z.object({ held: z.boolean() }),
      run: (input, context) => backend.run('hold_funds', context.idempotencyKey, input, () => ({ held: true })),
      compensate: (_input, _output, context) => backend.undo('hold_funds', context.idempotencyKey),
    });
    const pay = defineTool({
      name: 'pay_out',
      input: z.object({ account: z.string() }),
      output: z.object({ paid: z.boolean() }),
      requiresApproval: true,
      run: (input, context) => backend.run('pay_out', context.idempotencyKey, input, () => ({ paid: true })),
    });
    const refund = defineWorkflow({
      name: 'refund',
      intent,
      required: [account],
      tools: [hold, pay],
      run: async (context) => {
        await context.call(hold, { account: String(context.slots.account) });
        await context.call(pay, { account: String(context.slots.account) });
        return { status: 'resolved', reply: 'Refunded.' };
      },
    });
    const agent = createAgent({
      store: new MemoryTicketStore(),
      llm: new MockLLM({ fallback: { intent: 'refund', confidence: 1, entities: { account: 'A-9' } } }),
      intents: [intent],
      workflows: [refund],
    });
    const paused = await agent.handle({ ticketId: 'R-1', message: 'refund me' });
    expect(paused.action).toMatchObject({ outcome: 'awaiting_approval' });
    expect(backend.live().map((effect) => effect.tool)).toEqual(['hold_funds']);
    await expect(agent.reject('R-1', { by: '' })).rejects.toSatisfy((error: unknown) => InvalidArgumentError.isInstance(error));
    // Text a store refuses (a lone surrogate) is the caller's bad argument, named as such, not a store error; nothing changes.
    const before = await agent.inspect('R-1');
    const tooLong = [
      { by: 'agent-7', note: 'x'.repeat(4_001) },
      { by: 'agent-7', note: '😀'.repeat(4_001) },
    ];
    for (const decision of [{ by: 'agent\ud800' }, { by: 'agent-7', note: 'ok \udc00' }, { by: 'ops\u007f' }, { by: 'ops\u009b[2J' }, ...tooLong]) {
      await expect(agent.approve('R-1', decision)).rejects.toSatisfy((error: unknown) => InvalidArgumentError.isInstance(error));
      await expect(agent.reject('R-1', decision)).rejects.toSatisfy((error: unknown) => InvalidArgumentError.isInstance(error));
    }
    expect(await agent.inspect('R-1')).toEqual(before);
    // A note is counted in code points, as JSON Schema's maxLength counts: 4,000 emoji (8,000 UTF-16 units) fit.
    const note = `fraud suspected ${'😀'.repeat(3_984)}`;
    const rejected = await agent.reject('R-1', { by: 'supervisor-1', note });
    expect(rejected.action).toEqual({ type: 'cancelled', workflow: 'refund', reason: 'rejected' });
    expect(rejected.ticket.status).toBe('closed');
    expect(backend.live()).toEqual([]);
    expect(backend.runs.map((run) => run.tool)).toEqual(['hold_funds']);
    const { events } = await agent.inspect('R-1');
    expect(events.find((event) => event.type === 'approval.rejected')?.data).toMatchObject({ by: 'supervisor-1', note });
  });

  it('approve replays the journal: steps that ran before the pause do not run again', async () => {
    const backend = createRecordingBackend();
    const account = defineSlot({ name: 'account', schema: z.string(), question: 'Which account?' });
    const intent = defineIntent({ name: 'refund', description: 'Refund a payment' });
    const hold = defineTool({
      name: 'hold_funds',
      input: z.object({ account: z.string() }),
      output: z.object({ held: z.boolean() }),
      run: (input, context) => backend.run('hold_funds', context.idempotencyKey, input, () => ({ held: true })),
    });
    const pay = defineTool({
      name: 'pay_out',
      input: z.object({ account: z.string() }),
      output: z.object({ paid: z.boolean() }),
      requiresApproval: true,
      run: (input, context) => backend.run('pay_out', context.idempotencyKey, input, () => ({ paid: true })),
    });
    const refund = defineWorkflow({
      name: 'refund',
      intent,
      required: [account],
      tools: [hold, pay],
      run: async (context) => {
        await context.call(hold, { account: String(context.slots.account) });
        await context.call(pay, { account: String(context.slots.account) });
        return { status: 'resolved', reply: 'Refunded.' };
      },
    });
    const agent = createAgent({
      store: new MemoryTicketStore(),
      llm: new MockLLM({ fallback: { intent: 'refund', confidence: 1, entities: { account: 'A-9' } } }),
      intents: [intent],
      workflows: [refund],
    });
    await agent.handle({ ticketId: 'R-2', message: 'refund me' });
    const approved = await agent.approve('R-2', { by: 'supervisor' });
    expect(approved.action).toMatchObject({ outcome: 'resolved' });
    expect(backend.runs.map((run) => `${run.tool}@${run.key.replace(/:[^:]{8}(:\d+:\d+)$/, '$1')}`)).toEqual(['hold_funds@R-2:1:0', 'pay_out@R-2:1:1']);
  });
});
