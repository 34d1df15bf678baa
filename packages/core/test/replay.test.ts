import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryStoreData, MemoryTicketStore, replayTicket } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { crashWorld } from './support/crash-world.js';
import { createTestDomain } from './support/test-domain.js';

async function recordedTicket() {
  const domain = createTestDomain();
  const data = new MemoryStoreData();
  const store = new MemoryTicketStore({ data });
  const llm = new MockLLM();
  const agent = createAgent({ store, llm, intents: domain.intents, workflows: domain.workflows, slots: domain.extraSlots });
  llm.enqueue(
    { intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber' } },
    { intent: null, confidence: 0, entities: { region: 'Hamburg' } },
    { intent: 'billing_dispute', confidence: 0.9, entities: { account_type: 'personal', amount: 80 } },
    { intent: null, confidence: 0, entities: { confirm: true } },
  );
  await agent.handle({ ticketId: 'R-1', message: 'fiber is down', messageId: 'm-1' });
  await agent.handle({ ticketId: 'R-1', message: 'Hamburg', messageId: 'm-2' });
  await agent.handle({ ticketId: 'R-1', message: 'refund 80 please', messageId: 'm-3' });
  await agent.handle({ ticketId: 'R-1', message: 'yes', messageId: 'm-4' });
  await agent.approve('R-1', { by: 'agent-7' });
  return { domain, store, data };
}

describe('replayTicket', () => {
  it('replays a recorded ticket against the same definitions: every turn agrees, no tool or model is called, the source store is untouched', async () => {
    const { domain, store } = await recordedTicket();
    const runsBefore = domain.backend.runs.length;
    const eventsBefore = await store.events('R-1');
    const report = await replayTicket({ store, ticketId: 'R-1', intents: domain.intents, workflows: domain.workflows, slots: domain.extraSlots });
    expect(report.turns.map((turn) => turn.operation)).toEqual(['message', 'message', 'message', 'message', 'approve']);
    expect(report.turns.filter((turn) => !turn.same)).toEqual([]);
    expect(report.diverged).toBe(false);
    expect(domain.backend.runs.length).toBe(runsBefore);
    expect(await store.events('R-1')).toEqual(eventsBefore);
  });

  it('reports exactly the turns a changed workflow does differently, and a tool call the recording lacks as unrecorded_tool_call, never executed', async () => {
    const { domain, store } = await recordedTicket();
    const escalateTool = defineTool({
      name: 'open_incident',
      input: z.object({ region: z.string() }),
      output: z.object({ id: z.string() }),
      run: () => {
        throw new Error('must never run during a replay');
      },
    });
    const changed = defineWorkflow({
      name: 'fiber_troubleshoot',
      intent: 'no_internet',
      when: (slots) => slots.service_type === 'fiber',
      required: [domain.slots.serviceType, domain.slots.region],
      tools: [escalateTool],
      run: async (ctx) => {
        await ctx.call(escalateTool, { region: ctx.slots.region });
        return { status: 'escalated', reply: 'Incident opened.' };
      },
    });
    const workflows = [changed, ...domain.workflows.filter((workflow) => workflow.name !== 'fiber_troubleshoot')];
    const report = await replayTicket({ store, ticketId: 'R-1', intents: domain.intents, workflows, slots: domain.extraSlots });
    expect(report.diverged).toBe(true);
    const divergent = report.turns.filter((turn) => !turn.same);
    expect(divergent.map((turn) => turn.turn)).toEqual([2]);
    expect(divergent[0]!.divergences).toContainEqual({ kind: 'unrecorded_tool_call', tool: 'open_incident', input: { region: 'Hamburg' } });
  });

  it('P1 replays a ticket whose tool took a sensitive value: same code, no divergence, and the report shows the value only masked', async () => {
    const secret = '4111111111111111';
    const card = defineSlot({ name: 'card_number', schema: z.string(), sensitive: true, question: 'Which card?' });
    const pay = defineIntent({ name: 'pay', description: 'The customer pays a bill' });
    const charged: unknown[] = [];
    const charge = defineTool({
      name: 'charge',
      input: z.object({ card: z.string() }),
      output: z.object({ ok: z.boolean() }),
      run: (input) => (charged.push(input), { ok: true }),
    });
    const payment = defineWorkflow({
      name: 'pay_bill',
      intent: pay,
      required: [card],
      tools: [charge],
      run: async (ctx) => {
        await ctx.call(charge, { card: ctx.slots.card_number });
        return { status: 'resolved', reply: 'Paid.' };
      },
    });
    const encryptionKey = randomBytes(32).toString('base64');
    const store = new MemoryTicketStore();
    const llm = new MockLLM();
    const agent = createAgent({ store, llm, intents: [pay], workflows: [payment], encryptionKey });
    llm.enqueue({ intent: 'pay', confidence: 0.95, entities: { card_number: secret } });
    const live = await agent.handle({ ticketId: 'R-P1', message: 'pay with my card please' });
    expect(live.action).toMatchObject({ type: 'execute', outcome: 'resolved' });

    // A passphrase typed a turn before the model named it: the recorded message holds it as typed (no redact pattern fits it).
    const phrase = 'zebra-7781-lock';
    const passphrase = defineSlot({ name: 'passphrase', schema: z.string(), sensitive: true, question: 'Your passphrase?' });
    const verify = defineIntent({ name: 'verify', description: 'The customer verifies their identity' });
    const verification = defineWorkflow({
      name: 'verify_identity',
      intent: verify,
      required: [passphrase],
      run: async () => ({ status: 'resolved', reply: 'Verified.' }),
    });
    const both = createAgent({ store, llm, intents: [pay, verify], workflows: [payment, verification], encryptionKey });
    llm.enqueue({ intent: 'verify', confidence: 0.95, entities: {} }, { intent: 'verify', confidence: 0.95, entities: { passphrase: phrase } });
    await both.handle({ ticketId: 'R-P1b', message: `verify me, my passphrase is ${phrase}` });
    expect((await both.handle({ ticketId: 'R-P1b', message: 'the one I gave above' })).action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    const late = await replayTicket({ store, ticketId: 'R-P1b', intents: [pay, verify], workflows: [payment, verification], encryptionKey });
    expect(late.diverged).toBe(false);
    expect(JSON.stringify(late)).not.toContain(phrase);
    expect(late.turns[0]!.message).toContain('****lock');

    const report = await replayTicket({ store, ticketId: 'R-P1', intents: [pay], workflows: [payment], encryptionKey });
    expect(report.diverged).toBe(false);
    expect(report.turns[0]!.replayed.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    expect(report.turns[0]!.replayed.toolCalls).toEqual(report.turns[0]!.recorded.toolCalls);
    expect(JSON.stringify(report)).not.toContain(secret);
    expect(charged).toEqual([{ card: secret }]);
  });
});

describe('replayTicket of a ticket whose worker stopped mid-execution (E4)', () => {
  const LEASE = 1_000;

  async function crashedTicket(crash: { atWrite: number; point: 'before-write' | 'after-write' } | { hangingStep: number }) {
    const { CrashingTicketStore } = await import('@ticketflow/core/testing');
    const { domain, base, agentOn } = crashWorld({ leaseMs: LEASE });
    const crashing = new CrashingTicketStore(base, 'atWrite' in crash ? crash : { atWrite: 99, point: 'before-write' });
    if ('hangingStep' in crash) domain.backend.failTool(['reserve', 'charge', 'ship'][crash.hangingStep]!, 'hang');
    void agentOn(crashing, 'worker-a').handle({ ticketId: 'T-crash', message: 'buy 2 routers', messageId: 'm-1' });
    if ('hangingStep' in crash) {
      const tool = ['reserve', 'charge', 'ship'][crash.hangingStep]!;
      while (!domain.order.includes(`run:${tool}`)) await new Promise((resolve) => setTimeout(resolve, 2));
      crashing.crash();
      domain.backend.clearFailures();
    }
    await crashing.crashed;
    const restarted = agentOn(base, 'worker-b', 2 * LEASE + 10);
    const resent = await restarted.handle({ ticketId: 'T-crash', message: 'buy 2 routers', messageId: 'm-1' });
    expect(resent.action).toEqual({ type: 'execute', workflow: 'buy', outcome: 'resolved' });
    await restarted.handle({ ticketId: 'T-crash', message: 'thanks', messageId: 'm-2' });
    return { domain, base };
  }

  const cases = [
    { hangingStep: 0 },
    { hangingStep: 2 },
    { atWrite: 2, point: 'before-write' as const },
    { atWrite: 2, point: 'after-write' as const },
    { atWrite: 4, point: 'before-write' as const },
  ];
  for (const crash of cases) {
    it(`E4 O1 a worker stopped (${JSON.stringify(crash)}), recovered, then the message resent with its messageId: every operation replays the same`, async () => {
      const { domain, base } = await crashedTicket(crash);
      const report = await replayTicket({ store: base, ticketId: 'T-crash', intents: domain.intents, workflows: domain.workflows, leaseMs: LEASE });
      const shown = report.turns.map((turn) => `${turn.turn} ${turn.operation} ${JSON.stringify(turn.divergences)}`);
      expect(report.diverged, shown.join('\n')).toBe(false);
      expect(report.turns.map((turn) => turn.operation)).toEqual(['message', 'recover', 'message', 'message']);
      expect(report.turns[1]!.recorded.action).toMatchObject({ type: 'execute', outcome: 'failed' });
      expect(report.turns[2]!.replayed.action).toEqual({ type: 'execute', workflow: 'buy', outcome: 'resolved' });
    });
  }
});
