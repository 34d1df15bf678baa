import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createAgent,
  DEFAULT_REPLIES,
  defineIntent,
  defineSlot,
  defineTool,
  defineWorkflow,
  MemoryStoreData,
  MemoryTicketStore,
  type ApprovalContext,
  type PreviousToolCall,
  type TicketStore,
} from '@ticketflow/core';
import { CrashingTicketStore } from '@ticketflow/core/testing';
import { MockLLM } from '@ticketflow/llm-mock';
import { createHarness } from '../support/agent-harness.js';
import { eventsOf, sleep } from './helpers.js';

/**
 * Issue 13.1–13.3: E2 (any changed value is a correction, yes or no), E2a (`rerun: 'any'`,
 * superseding a corrected confirmed run so effects never add up, `previousCalls` for per-ticket
 * limits), D4 (the intent question lists labels) and D5 (bounded clarification).
 */
function creditWorld(options: { limit?: number; store?: TicketStore; instanceId?: string; leaseMs?: number; onUndo?: () => void } = {}) {
  const credits = new Map<string, { amount: number; undone: boolean }>();
  const order: string[] = [];
  const approvals: { amount: number; previous: PreviousToolCall[] }[] = [];
  const account = defineSlot({ name: 'account_type', schema: z.enum(['personal', 'business']), question: 'Personal or business account?' });
  const amount = defineSlot({ name: 'amount', schema: z.number().positive(), question: 'How much?', format: (value) => `${value} €` });
  const reason = defineSlot({ name: 'reason', schema: z.string().min(2), question: 'Why?' });
  const billing = defineIntent({
    name: 'billing_dispute',
    label: 'a question about your bill',
    description: 'The customer disputes a charge on their invoice and wants money back',
  });
  const goodwill = defineIntent({ name: 'goodwill', description: 'The customer asks for a goodwill gesture after an outage' });
  const issueCredit = defineTool({
    name: 'issue_credit',
    input: z.object({ amount: z.number() }),
    output: z.object({ creditId: z.string() }),
    run: (input, context) => {
      order.push(`credit ${input.amount}`);
      if (!credits.has(context.idempotencyKey)) credits.set(context.idempotencyKey, { amount: input.amount, undone: false });
      return { creditId: context.idempotencyKey };
    },
    compensate: (input, _output, context) => {
      order.push(`undo ${input.amount} (${context.reason})`);
      const credit = credits.get(context.idempotencyKey);
      if (credit) credit.undone = true;
      options.onUndo?.();
    },
    requiresApproval: (input, context: ApprovalContext) => {
      const previous = [...context.previousCalls];
      approvals.push({ amount: input.amount, previous });
      const before = previous.filter((call) => call.tool === 'issue_credit').reduce((sum, call) => sum + (call.input as { amount: number }).amount, 0);
      return before + input.amount > (options.limit ?? Number.POSITIVE_INFINITY);
    },
  });
  const credit = defineWorkflow({
    name: 'billing_credit',
    intent: billing,
    description: 'credit your account',
    required: [account, amount],
    optional: [reason],
    confirm: true,
    tools: [issueCredit],
    run: async (context) => {
      const { creditId } = await context.call(issueCredit, { amount: context.slots.amount });
      return { status: 'resolved', reply: `Credited ${context.slots.amount} € (${creditId}) for ${context.slots.reason ?? 'no reason given'}.` };
    },
  });
  const gesture = defineWorkflow({
    name: 'goodwill_credit',
    intent: goodwill,
    required: [amount],
    tools: [issueCredit],
    run: async (context) => {
      await context.call(issueCredit, { amount: context.slots.amount });
      return { status: 'resolved', reply: 'Gesture credited.' };
    },
  });
  const llm = new MockLLM();
  const agent = createAgent({
    store: options.store ?? new MemoryTicketStore(),
    llm,
    intents: [billing, goodwill],
    workflows: [credit, gesture],
    ...(options.instanceId ? { instanceId: options.instanceId } : {}),
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
  });
  const say = (ticketId: string, entities: Record<string, unknown>, intent: string | null = null) => {
    llm.enqueue({ intent, confidence: intent ? 0.95 : 0.2, entities });
    return agent.handle({ ticketId, message: JSON.stringify(entities) });
  };
  const live = () => [...credits.values()].filter((entry) => !entry.undone).map((entry) => entry.amount);
  return { agent, llm, say, credits, live, order, approvals, workflows: [credit, gesture], intents: [billing, goodwill] };
}

describe('E2 corrections of a confirm: true workflow (issue 13.1)', () => {
  it('E2 a "no" that changes an optional value asks again with the new value; nothing runs until yes', async () => {
    const world = creditWorld();
    const asked = await world.say('E2-1', { account_type: 'personal', amount: 20, reason: 'double charge' }, 'billing_dispute');
    expect(asked.action).toMatchObject({ type: 'ask', slot: 'confirm', question: expect.stringContaining('double charge') });
    const again = await world.say('E2-1', { confirm: false, reason: 'late fee' });
    expect(again.action).toMatchObject({ type: 'ask', slot: 'confirm', question: expect.stringContaining('late fee') });
    expect(world.order).toEqual([]);
    const done = await world.say('E2-1', { confirm: true });
    expect(done.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    expect(done.reply).toContain('late fee');
    const { events } = await world.agent.inspect('E2-1');
    expect(eventsOf(events, 'confirmation.requested').map((event) => event.data.corrected ?? false)).toEqual([false, true]);
    expect(eventsOf(events, 'confirmation.declined')).toEqual([]);
  });

  it('E2 a "no" that adds an optional value not given before asks again too', async () => {
    const world = creditWorld();
    await world.say('E2-2', { account_type: 'personal', amount: 20 }, 'billing_dispute');
    const again = await world.say('E2-2', { confirm: false, reason: 'roaming fee' });
    expect(again.action).toMatchObject({ type: 'ask', slot: 'confirm', question: expect.stringContaining('roaming fee') });
    expect(world.order).toEqual([]);
  });

  it('E2 a "yes" that changes a required value is a correction: it asks again instead of running the old amount', async () => {
    const world = creditWorld();
    await world.say('E2-3', { account_type: 'personal', amount: 20 }, 'billing_dispute');
    const again = await world.say('E2-3', { confirm: true, amount: 25 });
    expect(again.action).toMatchObject({ type: 'ask', slot: 'confirm', question: expect.stringContaining('25 €') });
    expect(world.order).toEqual([]);
    await world.say('E2-3', { confirm: true });
    expect(world.order).toEqual(['credit 25']);
  });

  it('E2 a plain "no" cancels and nothing runs', async () => {
    const world = creditWorld();
    await world.say('E2-4', { account_type: 'personal', amount: 20, reason: 'double charge' }, 'billing_dispute');
    const cancelled = await world.say('E2-4', { confirm: false });
    expect(cancelled.action).toEqual({ type: 'cancelled', workflow: 'billing_credit' });
    expect(world.order).toEqual([]);
  });
});

describe('E2a re-runs (issue 13.1, 13.2)', () => {
  function searchWorld(rerun: 'any' | 'required') {
    const searches: Record<string, unknown>[] = [];
    const city = defineSlot({ name: 'city', schema: z.string().min(2), question: 'Which city?' });
    const cuisine = defineSlot({ name: 'cuisine', schema: z.string().min(2), question: 'Which cuisine?' });
    const intent = defineIntent({ name: 'find_restaurant', description: 'Find a restaurant' });
    const search = defineTool({
      name: 'search_restaurants',
      input: z.object({ city: z.string(), cuisine: z.string().optional() }),
      output: z.object({ count: z.number() }),
      run: (input) => (searches.push(input), { count: 3 }),
    });
    const workflow = defineWorkflow({
      name: 'find_restaurants',
      intent,
      required: [city],
      optional: [cuisine],
      tools: [search],
      rerun,
      run: async (context) => {
        const { count } = await context.call(search, { city: context.slots.city, ...(context.slots.cuisine ? { cuisine: context.slots.cuisine } : {}) });
        return { status: 'resolved', reply: `${count} places` };
      },
    });
    const llm = new MockLLM();
    const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [intent], workflows: [workflow] });
    const say = (entities: Record<string, unknown>, intentName: string | null = 'find_restaurant') => {
      llm.enqueue({ intent: intentName, confidence: intentName ? 0.9 : 0.2, entities });
      return agent.handle({ ticketId: 'S-1', message: JSON.stringify(entities) });
    };
    return { searches, say, agent };
  }

  it("E2a rerun: 'any' re-runs a search when an optional filter changes; a turn that changes nothing does not", async () => {
    const world = searchWorld('any');
    expect((await world.say({ city: 'Berlin' })).action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    expect((await world.say({ cuisine: 'vegetarian' })).action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    expect((await world.say({ cuisine: 'vegan' })).action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    expect((await world.say({}, null)).action).toEqual({ type: 'acknowledge' });
    expect((await world.say({ cuisine: 'vegan' })).action).toEqual({ type: 'acknowledge' });
    expect(world.searches).toEqual([{ city: 'Berlin' }, { city: 'Berlin', cuisine: 'vegetarian' }, { city: 'Berlin', cuisine: 'vegan' }]);
  });

  it("E2a rerun: 'required' (the default) stores a changed optional value but does not re-run; a changed required value does", async () => {
    const world = searchWorld('required');
    await world.say({ city: 'Berlin' });
    const filtered = await world.say({ cuisine: 'vegetarian' });
    expect(filtered.action).toEqual({ type: 'acknowledge' });
    expect(filtered.ticket.slots.cuisine?.value).toBe('vegetarian');
    const moved = await world.say({ city: 'Hamburg' });
    expect(moved.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    expect(world.searches).toEqual([{ city: 'Berlin' }, { city: 'Hamburg', cuisine: 'vegetarian' }]);
  });

  it('E2a a corrected, re-confirmed credit supersedes the earlier one: compensated first, never adding up, however often repeated', async () => {
    const world = creditWorld({ limit: 90 });
    await world.say('SUP-1', { account_type: 'personal', amount: 50 }, 'billing_dispute');
    expect((await world.say('SUP-1', { confirm: true })).action).toMatchObject({ outcome: 'resolved' });
    expect(world.live()).toEqual([50]);
    const amounts = [45, 50, 45, 50, 45];
    for (const amount of amounts) {
      const asked = await world.say('SUP-1', { amount });
      expect(asked.action, `correction to ${amount}`).toMatchObject({ type: 'ask', slot: 'confirm', question: expect.stringContaining(`${amount} €`) });
      const done = await world.say('SUP-1', { confirm: true });
      expect(done.action, `confirmed ${amount}`).toEqual({ type: 'execute', workflow: 'billing_credit', outcome: 'resolved' });
      expect(world.live()).toEqual([amount]);
    }
    // Each superseding run undoes the earlier credit before crediting again.
    expect(world.order.slice(0, 3)).toEqual(['credit 50', 'undo 50 (superseded)', 'credit 45']);
    expect(world.order.filter((entry) => entry.startsWith('credit'))).toHaveLength(amounts.length + 1);
    expect(world.order.filter((entry) => entry.startsWith('undo'))).toHaveLength(amounts.length);
    const { events } = await world.agent.inspect('SUP-1');
    expect(eventsOf(events, 'execution.superseded')).toHaveLength(amounts.length);
    expect(eventsOf(events, 'approval.requested')).toEqual([]);
    // The limit (90 per ticket) never saw a superseded credit among the standing calls.
    for (const approval of world.approvals) expect(approval.previous).toEqual([]);
  });

  it('E2a on a ticket upgraded from the older engine (outcomes without their calls): the corrected credit still supersedes the earlier one', async () => {
    const store = new MemoryTicketStore();
    const world = creditWorld({ store });
    await world.say('SUP-L', { account_type: 'personal', amount: 50 }, 'billing_dispute');
    await world.say('SUP-L', { confirm: true });
    expect(world.live()).toEqual([50]);
    // The older engine recorded the completed run without the calls that stand: rewrite the document that way.
    const stored = (await store.load('SUP-L'))!;
    const { calls: _calls, ...legacyOutcome } = stored.ticket.outcomes.billing_credit!;
    const legacy = { ...stored.ticket, outcomes: { ...stored.ticket.outcomes, billing_credit: legacyOutcome } };
    expect(await store.commit({ ticketId: 'SUP-L', expectedVersion: stored.version, ticket: legacy, events: [] })).toMatchObject({ ok: true });

    expect((await world.say('SUP-L', { amount: 45 })).action).toMatchObject({ type: 'ask', slot: 'confirm' });
    expect((await world.say('SUP-L', { confirm: true })).action).toEqual({ type: 'execute', workflow: 'billing_credit', outcome: 'resolved' });
    expect(world.live()).toEqual([45]);
    expect(world.order).toEqual(['credit 50', 'undo 50 (superseded)', 'credit 45']);
  });

  it('E2a E4 a crash right after the superseded credit was undone: after recovery the ticket and the effects agree', async () => {
    const data = new MemoryStoreData();
    const base = new MemoryTicketStore({ data });
    const crashing = new CrashingTicketStore(base, { atWrite: 1_000, point: 'before-write' });
    let crashOnUndo = false;
    const world = creditWorld({ store: crashing, instanceId: 'worker-a', leaseMs: 300, onUndo: () => crashOnUndo && crashing.crash() });
    await world.say('SUP-4', { account_type: 'personal', amount: 50 }, 'billing_dispute');
    await world.say('SUP-4', { confirm: true });
    await world.say('SUP-4', { amount: 45 });
    crashOnUndo = true;
    void world.say('SUP-4', { confirm: true });
    await crashing.crashed;
    expect(world.live()).toEqual([]);
    // A sweeper of another process finishes the interrupted execution.
    const sweeper = createAgent({ store: base, llm: new MockLLM(), intents: world.intents, workflows: world.workflows, instanceId: 'worker-b', leaseMs: 300 });
    let recovered = 0;
    for (let sweep = 0; sweep < 30 && recovered === 0; sweep += 1) {
      recovered += (await sweeper.recover()).recovered;
      if (recovered === 0) await sleep(100);
    }
    expect(recovered).toBe(1);
    const ticket = (await sweeper.getTicket('SUP-4'))!;
    expect(ticket.status).not.toBe('executing');
    // What the ticket says still stands must be what stands in the world.
    const standing = (ticket.outcomes.billing_credit?.calls ?? []).map((call) => (call.input as { amount: number }).amount);
    expect(standing).toEqual(world.live());
  });

  it('E2a a corrected credit that needs approval and is rejected: the ticket and the world agree on what stands', async () => {
    const world = creditWorld({ limit: 60 });
    await world.say('SUP-5', { account_type: 'personal', amount: 50 }, 'billing_dispute');
    await world.say('SUP-5', { confirm: true });
    await world.say('SUP-5', { amount: 80 });
    const paused = await world.say('SUP-5', { confirm: true });
    expect(paused.action).toMatchObject({ outcome: 'awaiting_approval' });
    const rejected = await world.agent.reject('SUP-5', { by: 'supervisor-1' });
    expect(rejected.ticket.status).toBe('closed');
    const standing = (rejected.ticket.outcomes.billing_credit?.calls ?? []).map((call) => (call.input as { amount: number }).amount);
    expect(standing).toEqual(world.live());
  });

  it('E2a a correction the customer then declines leaves the earlier run standing', async () => {
    const world = creditWorld();
    await world.say('SUP-2', { account_type: 'personal', amount: 50 }, 'billing_dispute');
    await world.say('SUP-2', { confirm: true });
    await world.say('SUP-2', { amount: 45 });
    const declined = await world.say('SUP-2', { confirm: false });
    expect(declined.action).toEqual({ type: 'cancelled', workflow: 'billing_credit' });
    expect(world.live()).toEqual([50]);
    expect(world.order).toEqual(['credit 50']);
    // A "thanks" is not answered as if the correction were done, and runs nothing.
    const thanks = await world.say('SUP-2', {}, null);
    expect(thanks).toMatchObject({ action: { type: 'acknowledge' }, reply: DEFAULT_REPLIES.cancelled });
    // Asking again confirms first, then supersedes the credit that still stands: corrections never add up.
    const again = await world.say('SUP-2', {}, 'billing_dispute');
    expect(again.action).toMatchObject({ type: 'ask', slot: 'confirm' });
    expect((await world.say('SUP-2', { confirm: true })).action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    expect(world.live()).toEqual([45]);
    expect(world.order).toEqual(['credit 50', 'undo 50 (superseded)', 'credit 45']);
  });

  it('E2a a "thanks" after a confirmed credit never credits twice', async () => {
    const world = creditWorld();
    await world.say('SUP-3', { account_type: 'personal', amount: 30 }, 'billing_dispute');
    await world.say('SUP-3', { confirm: true });
    expect((await world.say('SUP-3', { confirm: true }, 'billing_dispute')).action).toEqual({ type: 'acknowledge' });
    expect((await world.say('SUP-3', {}, null)).action).toEqual({ type: 'acknowledge' });
    expect(world.live()).toEqual([30]);
  });

  it('E2a requiresApproval sees the earlier executions of the ticket (previousCalls): a per-ticket limit holds across workflows', async () => {
    const world = creditWorld({ limit: 100 });
    await world.say('LIM-1', { account_type: 'personal', amount: 60 }, 'billing_dispute');
    expect((await world.say('LIM-1', { confirm: true })).action).toMatchObject({ outcome: 'resolved' });
    const gesture = await world.say('LIM-1', { amount: 60 }, 'goodwill');
    expect(gesture.action).toEqual({ type: 'execute', workflow: 'goodwill_credit', outcome: 'awaiting_approval' });
    const seen = world.approvals.at(-1)!;
    expect(seen.amount).toBe(60);
    expect(seen.previous).toHaveLength(1);
    expect(seen.previous[0]).toMatchObject({ workflow: 'billing_credit', tool: 'issue_credit', input: { amount: 60 } });
    expect(world.live()).toEqual([60]);
    // The same gesture on a fresh ticket is under the limit.
    const fresh = await world.say('LIM-2', { amount: 60 }, 'goodwill');
    expect(fresh.action).toEqual({ type: 'execute', workflow: 'goodwill_credit', outcome: 'resolved' });
  });
});

describe('D4 and D5 clarification (issue 13.3)', () => {
  it('D4 the intent question lists the intents by their customer-facing label, never the description written for the LLM', async () => {
    const world = creditWorld();
    const unclear = await world.say('D4-1', {}, null);
    expect(unclear.action).toMatchObject({ type: 'ask', slot: 'intent' });
    const question = (unclear.action as { question: string }).question;
    expect(question).toContain('a question about your bill');
    expect(question).toContain('goodwill');
    expect(question).not.toContain('disputes a charge');
    expect(question).not.toContain('goodwill gesture after an outage');
    expect(question.length).toBeLessThan(200);
    // D3a: an intent that is not declared counts as unclear and asks the same question.
    const undeclared = await world.say('D4-2', {}, 'refund_everything');
    expect(undeclared.action).toMatchObject({ type: 'ask', slot: 'intent', question });
  });

  it('D5 after 3 turns asking the same slot without getting it, the 4th escalates with clarification_limit', async () => {
    const world = creditWorld();
    const replies: unknown[] = [];
    replies.push((await world.say('D5-1', { account_type: 'personal' }, 'billing_dispute')).action);
    replies.push((await world.say('D5-1', {}, null)).action);
    replies.push((await world.say('D5-1', { amount: -5 }, null)).action);
    const fourth = await world.say('D5-1', {}, null);
    expect(replies).toEqual(Array(3).fill(expect.objectContaining({ type: 'ask', slot: 'amount' })));
    expect(fourth.action).toEqual({ type: 'escalate', reason: 'clarification_limit' });
    expect(fourth.ticket.status).toBe('escalated');
    const { events } = await world.agent.inspect('D5-1');
    expect(eventsOf(events, 'clarification.limited').map((event) => event.data)).toEqual([{ slot: 'amount', asked: 3 }]);
  });

  it('D5 gibberish three turns running gets the intent question three times, then escalates', async () => {
    const world = creditWorld();
    const actions = [];
    for (let turn = 0; turn < 4; turn += 1) actions.push((await world.say('D5-2', {}, null)).action);
    expect(actions.slice(0, 3).map((action) => (action as { slot?: string }).slot)).toEqual(['intent', 'intent', 'intent']);
    expect(actions[3]).toEqual({ type: 'escalate', reason: 'clarification_limit' });
  });

  it('D5 a turn that tells something new starts the count over; maxClarifications sets the bound', async () => {
    const { agent, llm } = createHarness({ maxClarifications: 2 });
    const say = (entities: Record<string, unknown>, intent: string | null = null) => {
      llm.enqueue({ intent, confidence: intent ? 0.9 : 0.2, entities });
      return agent.handle({ ticketId: 'D5-3', message: 'x' });
    };
    expect((await say({}, 'no_internet')).action).toMatchObject({ slot: 'service_type' });
    expect((await say({})).action).toMatchObject({ slot: 'service_type' });
    // A new fact (not the one asked) resets the count.
    expect((await say({ device_type: 'router' })).action).toMatchObject({ slot: 'service_type' });
    expect((await say({})).action).toMatchObject({ slot: 'service_type' });
    expect((await say({})).action).toEqual({ type: 'escalate', reason: 'clarification_limit' });
  });
});
