import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryStoreData, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { createRecordingBackend } from './support/test-domain.js';

/** A small troubleshooting procedure: look the line up, ask what the status bar shows, branch, ask again after a fix. */
function procedureDomain(onAbandon: 'keep' | 'compensate' = 'keep', options: { undoMs?: number } = {}) {
  const backend = createRecordingBackend();
  const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'What is your phone number?' });
  const statusBar = defineSlot({ name: 'status_bar', schema: z.enum(['no_service', 'bars', 'airplane']), question: 'What does your status bar show?' });
  const afterFix = defineSlot({ name: 'after_fix', schema: z.enum(['works', 'still_broken']), question: 'Does it work now?' });
  const noData = defineIntent({ name: 'no_data', label: 'mobile data not working' });
  const billing = defineIntent({ name: 'billing', label: 'a question about your bill' });
  const lookUp = defineTool({
    name: 'look_up_line',
    input: z.object({ phone: z.string() }),
    output: z.object({ line: z.string() }),
    run: (input, context) => backend.run('look_up_line', context.idempotencyKey, input, () => ({ line: `L-${input.phone}` })),
  });
  const enableRoaming = defineTool({
    name: 'enable_roaming',
    input: z.object({ line: z.string() }),
    output: z.object({ done: z.boolean() }),
    run: (input, context) => backend.run('enable_roaming', context.idempotencyKey, input, () => ({ done: true })),
    compensate: async (_input, _output, context) => {
      if (options.undoMs) await new Promise((resolve) => setTimeout(resolve, options.undoMs));
      await backend.undo('enable_roaming', context.idempotencyKey);
    },
  });
  const procedure = defineWorkflow({
    name: 'mobile_data_path',
    intent: noData,
    required: [phone],
    asks: [statusBar, afterFix],
    tools: [lookUp, enableRoaming],
    onAbandon,
    run: async (ctx) => {
      const { line } = await ctx.call(lookUp, { phone: ctx.slots.phone });
      const bar = await ctx.ask(statusBar);
      if (bar === 'airplane') return { status: 'resolved', reply: 'Please turn airplane mode off.' };
      await ctx.call(enableRoaming, { line });
      const fixed = await ctx.ask(afterFix);
      return fixed === 'works' ? { status: 'resolved', reply: 'Great, data works again.' } : { status: 'escalated', reply: 'A technician will call you.' };
    },
  });
  const explain = defineWorkflow({ name: 'explain_bill', intent: billing, required: [], run: () => ({ status: 'resolved', reply: 'Here is your bill.' }) });
  return { backend, intents: [noData, billing], workflows: [procedure, explain] };
}

function agentFor(domain: ReturnType<typeof procedureDomain>, data = new MemoryStoreData(), options: { inputTimeoutMs?: number; now?: () => number } = {}) {
  const llm = new MockLLM();
  const agent = createAgent({ store: new MemoryTicketStore({ data }), llm, intents: domain.intents, workflows: domain.workflows, ...options });
  return { agent, llm, data };
}

/** The store with its `commit` replaced by `commit(target, request)`; every other method as is. */
function withCommit(
  store: MemoryTicketStore,
  commit: (target: MemoryTicketStore, request: Parameters<MemoryTicketStore['commit']>[0]) => ReturnType<MemoryTicketStore['commit']>,
): MemoryTicketStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'commit') return (request: Parameters<MemoryTicketStore['commit']>[0]) => commit(target, request);
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('procedures that span turns (E6)', () => {
  it('E6 ctx.ask suspends with the slot question, resumes on the answer, branches, and never calls a journaled tool twice', async () => {
    const domain = procedureDomain();
    const { agent, llm } = agentFor(domain);
    llm.enqueue({ intent: 'no_data', confidence: 0.9, entities: { phone: '555' } });
    const first = await agent.handle({ ticketId: 'P-1', message: 'no data on 555' });
    expect(first.action).toEqual({ type: 'ask', slot: 'status_bar', question: 'What does your status bar show?', workflow: 'mobile_data_path' });
    expect(first.ticket.status).toBe('awaiting_input');
    expect(first.ticket.execution).toMatchObject({ awaiting: { slot: 'status_bar' }, leaseExpiresAt: null });
    llm.enqueue({ intent: null, confidence: 0, entities: { status_bar: 'no_service' } });
    const second = await agent.handle({ ticketId: 'P-1', message: 'it says no service' });
    expect(second.action).toMatchObject({ type: 'ask', slot: 'after_fix' });
    llm.enqueue({ intent: null, confidence: 0, entities: { after_fix: 'works' } });
    const third = await agent.handle({ ticketId: 'P-1', message: 'yes it works' });
    expect(third.action).toEqual({ type: 'execute', workflow: 'mobile_data_path', outcome: 'resolved' });
    expect(third.reply).toBe('Great, data works again.');
    expect(domain.backend.runs.map((run) => run.tool)).toEqual(['look_up_line', 'enable_roaming']);
    const { events } = await agent.inspect('P-1');
    const types = events.map((event) => event.type);
    expect(types.filter((type) => type === 'execution.suspended')).toHaveLength(2);
    expect(types.filter((type) => type === 'execution.resumed')).toHaveLength(2);
    expect(types.filter((type) => type === 'input.requested')).toHaveLength(2);
  });

  it('E6 D5 an invalid answer asks again, and the fourth unanswered question leaves the procedure and escalates', async () => {
    const domain = procedureDomain('compensate');
    const { agent, llm } = agentFor(domain);
    llm.enqueue({ intent: 'no_data', confidence: 0.9, entities: { phone: '555' } });
    await agent.handle({ ticketId: 'P-2', message: 'no data on 555' });
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      llm.enqueue({ intent: null, confidence: 0, entities: { status_bar: 'purple' } });
      const again = await agent.handle({ ticketId: 'P-2', message: 'purple?' });
      expect(again.action).toMatchObject({ type: 'ask', slot: 'status_bar' });
      expect(again.ticket.status).toBe('awaiting_input');
    }
    llm.enqueue({ intent: null, confidence: 0, entities: {} });
    const limited = await agent.handle({ ticketId: 'P-2', message: 'hmm' });
    expect(limited.action).toEqual({ type: 'escalate', reason: 'clarification_limit' });
    expect(limited.ticket.status).toBe('escalated');
    expect(limited.ticket.execution).toBeNull();
  });

  it('E6 a switch to another intent leaves the procedure as declared (compensate) and the new intent proceeds', async () => {
    const domain = procedureDomain('compensate');
    const { agent, llm } = agentFor(domain);
    llm.enqueue({ intent: 'no_data', confidence: 0.9, entities: { phone: '555' } }, { intent: null, confidence: 0, entities: { status_bar: 'no_service' } });
    await agent.handle({ ticketId: 'P-3', message: 'no data on 555' });
    const waiting = await agent.handle({ ticketId: 'P-3', message: 'no service' });
    expect(waiting.action).toMatchObject({ type: 'ask', slot: 'after_fix' });
    expect(domain.backend.live().map((effect) => effect.tool)).toEqual(['look_up_line', 'enable_roaming']);
    llm.enqueue({ intent: 'billing', confidence: 0.95, entities: {} });
    const switched = await agent.handle({ ticketId: 'P-3', message: 'actually, my bill is wrong' });
    expect(switched.action).toEqual({ type: 'execute', workflow: 'explain_bill', outcome: 'resolved' });
    expect(domain.backend.live().map((effect) => effect.tool)).toEqual(['look_up_line']);
    const { events } = await agent.inspect('P-3');
    expect(events.find((event) => event.type === 'execution.abandoned')?.data).toMatchObject({
      reason: 'intent_changed',
      policy: 'compensate',
      compensated: true,
    });
  });

  for (const onAbandon of ['compensate', 'keep'] as const) {
    for (const timing of ['alone', 'with the answer'] as const) {
      it(`E6 E2a a corrected required value while the procedure waits starts it again with the new value (onAbandon ${onAbandon}, ${timing})`, async () => {
        const domain = procedureDomain(onAbandon);
        const { agent, llm } = agentFor(domain);
        llm.enqueue(
          { intent: 'no_data', confidence: 0.9, entities: { phone: '555' } },
          { intent: null, confidence: 0, entities: { status_bar: 'no_service' } },
        );
        await agent.handle({ ticketId: 'P-C', message: 'no data on 555' });
        expect((await agent.handle({ ticketId: 'P-C', message: 'no service' })).action).toMatchObject({ type: 'ask', slot: 'after_fix' });
        const correction = timing === 'alone' ? { phone: '777' } : { phone: '777', after_fix: 'works' };
        llm.enqueue({ intent: 'no_data', confidence: 0.9, entities: correction });
        const corrected = await agent.handle({ ticketId: 'P-C', message: 'sorry, my number is 777' });
        if (timing === 'alone') {
          // Started again with 777: the line looked up again, the known status bar used, the last question asked again.
          expect(corrected.action).toMatchObject({ type: 'ask', slot: 'after_fix' });
          llm.enqueue({ intent: null, confidence: 0, entities: { after_fix: 'works' } });
          const done = await agent.handle({ ticketId: 'P-C', message: 'it works now' });
          expect(done.action).toEqual({ type: 'execute', workflow: 'mobile_data_path', outcome: 'resolved' });
        } else {
          expect(corrected.action).toEqual({ type: 'execute', workflow: 'mobile_data_path', outcome: 'resolved' });
        }
        expect([...domain.backend.effects.values()].map((effect) => `${effect.tool} ${JSON.stringify(effect.input)}`)).toEqual([
          'look_up_line {"phone":"555"}',
          'enable_roaming {"line":"L-555"}',
          'look_up_line {"phone":"777"}',
          'enable_roaming {"line":"L-777"}',
        ]);
        // Corrections never add up: the roaming enabled for the wrong line is undone — when the procedure is left ('compensate'),
        // or, kept ('keep'), before the procedure runs again with the new value.
        const live = domain.backend.live().map((effect) => `${effect.tool} ${JSON.stringify(effect.input)}`);
        expect(live).toEqual(['look_up_line {"phone":"555"}', 'look_up_line {"phone":"777"}', 'enable_roaming {"line":"L-777"}']);
        const { events } = await agent.inspect('P-C');
        expect(events.find((event) => event.type === 'execution.abandoned')?.data).toMatchObject({ reason: 'corrected', policy: onAbandon });
        const failures = events.filter((event) => event.type === 'execution.failed');
        expect(failures.map((event) => ('reason' in event.data ? event.data.reason : null))).toEqual(['abandoned']);
      });
    }
  }

  it("E6 onAbandon 'keep' leaves the completed steps when the customer switches", async () => {
    const domain = procedureDomain('keep');
    const { agent, llm } = agentFor(domain);
    llm.enqueue(
      { intent: 'no_data', confidence: 0.9, entities: { phone: '555' } },
      { intent: null, confidence: 0, entities: { status_bar: 'no_service' } },
      { intent: 'billing', confidence: 0.95, entities: {} },
    );
    await agent.handle({ ticketId: 'P-4', message: 'no data on 555' });
    await agent.handle({ ticketId: 'P-4', message: 'no service' });
    const switched = await agent.handle({ ticketId: 'P-4', message: 'my bill' });
    expect(switched.action).toMatchObject({ workflow: 'explain_bill' });
    expect(domain.backend.live().map((effect) => effect.tool)).toEqual(['look_up_line', 'enable_roaming']);
  });

  it('E6 a suspended procedure survives a restart: a fresh agent on the same store resumes it without re-running tools', async () => {
    const domain = procedureDomain();
    const data = new MemoryStoreData();
    const before = agentFor(domain, data);
    before.llm.enqueue({ intent: 'no_data', confidence: 0.9, entities: { phone: '555' } });
    await before.agent.handle({ ticketId: 'P-5', message: 'no data on 555' });
    const after = agentFor(domain, data);
    after.llm.enqueue({ intent: null, confidence: 0, entities: { status_bar: 'airplane' } });
    const resumed = await after.agent.handle({ ticketId: 'P-5', message: 'airplane' });
    expect(resumed.reply).toBe('Please turn airplane mode off.');
    expect(domain.backend.runs.map((run) => run.tool)).toEqual(['look_up_line']);
  });

  it('E6 E7 a procedure that waits longer than inputTimeoutMs is left by agent.recover()', async () => {
    const domain = procedureDomain('compensate');
    let now = Date.now();
    const { agent, llm } = agentFor(domain, new MemoryStoreData(), { inputTimeoutMs: 60_000, now: () => now });
    llm.enqueue({ intent: 'no_data', confidence: 0.9, entities: { phone: '555' } }, { intent: null, confidence: 0, entities: { status_bar: 'no_service' } });
    await agent.handle({ ticketId: 'P-6', message: 'no data on 555' });
    await agent.handle({ ticketId: 'P-6', message: 'no service' });
    expect((await agent.recover()).inputsExpired).toBe(0);
    now += 61_000;
    const report = await agent.recover();
    expect(report.inputsExpired).toBe(1);
    const ticket = await agent.getTicket('P-6');
    expect(ticket?.status).not.toBe('awaiting_input');
    expect(ticket?.execution).toBeNull();
    expect(domain.backend.live().map((effect) => effect.tool)).toEqual(['look_up_line']);
    const { events } = await agent.inspect('P-6');
    expect(events.map((event) => event.type)).toContain('input.expired');
  });

  it('E6 E3 a heartbeat renewal still in flight when a slow undo ends does not drop the abandoned procedure or the new run', async () => {
    // Lease 300 ms: the heartbeat renews after 100 ms without a write; each commit takes 80 ms and
    // the undo 140 ms, so a renewal is on its way to the store when the undo ends and the turn
    // stages the next checkpoint (the writer used to overwrite it when the renewal landed).
    const domain = procedureDomain('compensate', { undoMs: 140 });
    const data = new MemoryStoreData();
    const slow = withCommit(new MemoryTicketStore({ data }), async (target, request) => {
      await new Promise((resolve) => setTimeout(resolve, 80));
      return target.commit(request);
    });
    const llm = new MockLLM();
    const agent = createAgent({ store: slow, llm, intents: domain.intents, workflows: domain.workflows, leaseMs: 300 });
    llm.enqueue({ intent: 'no_data', confidence: 0.9, entities: { phone: '555' } }, { intent: null, confidence: 0, entities: { status_bar: 'no_service' } });
    await agent.handle({ ticketId: 'P-8', message: 'no data on 555' });
    await agent.handle({ ticketId: 'P-8', message: 'no service' });
    llm.enqueue({ intent: 'billing', confidence: 0.95, entities: {} });
    const switched = await agent.handle({ ticketId: 'P-8', message: 'actually, my bill is wrong' });
    expect(switched.action).toEqual({ type: 'execute', workflow: 'explain_bill', outcome: 'resolved' });
    expect(switched.ticket.execution).toBeNull();
    const { events } = await agent.inspect('P-8');
    const types = events.map((event) => event.type);
    const abandoned = types.indexOf('execution.abandoned');
    expect(abandoned).toBeGreaterThan(0);
    expect(types.slice(abandoned)).toEqual(expect.arrayContaining(['workflow.chosen', 'execution.started', 'execution.completed', 'turn.completed']));
    expect(types.filter((type) => type === 'execution.started')).toHaveLength(2);
    expect(domain.backend.live().map((effect) => effect.tool)).toEqual(['look_up_line']);
  });

  it('E6 E7 an expiry whose slow undo is taken over by another worker still counts, and its committed events reach the hooks', async () => {
    const domain = procedureDomain('compensate');
    const data = new MemoryStoreData();
    let now = Date.now();
    const plain = new MemoryTicketStore({ data });
    let tookOver = false;
    // Right after the sweeper commits the expiry with its claim, another worker bumps the ticket
    // (as a takeover would): the sweeper's last write then finds its claim lost.
    const interfering = withCommit(plain, async (target, request) => {
      const result = await target.commit(request);
      if (result.ok && !tookOver && request.events.some((event) => event.type === 'input.expired')) {
        tookOver = true;
        const loaded = (await target.load(request.ticketId))!;
        await target.commit({
          ticketId: request.ticketId,
          expectedVersion: loaded.version,
          ticket: { ...loaded.ticket, updatedAt: new Date(now).toISOString() },
          events: [],
        });
      }
      return result;
    });
    const llm = new MockLLM();
    const agent = createAgent({ store: new MemoryTicketStore({ data }), llm, intents: domain.intents, workflows: domain.workflows });
    const sweeper = createAgent({
      store: interfering,
      llm: new MockLLM(),
      intents: domain.intents,
      workflows: domain.workflows,
      inputTimeoutMs: 60_000,
      now: () => now,
    });
    llm.enqueue({ intent: 'no_data', confidence: 0.9, entities: { phone: '555' } }, { intent: null, confidence: 0, entities: { status_bar: 'no_service' } });
    await agent.handle({ ticketId: 'P-7', message: 'no data on 555' });
    await agent.handle({ ticketId: 'P-7', message: 'no service' });
    const told: string[] = [];
    sweeper.on('input.expired', (event) => void told.push(event.ticketId));
    now += 61_000;
    const report = await sweeper.recover();
    expect(tookOver).toBe(true);
    expect(report.inputsExpired).toBe(1);
    await vi.waitFor(() => expect(told).toEqual(['P-7']));
    const { events } = await agent.inspect('P-7');
    expect(events.filter((event) => event.type === 'input.expired')).toHaveLength(1);
  });

  it("E6 ctx.ask with fresh asks a known slot again, with a question of the run's own that stays on a re-ask", async () => {
    const slot = defineSlot({ name: 'bars', schema: z.coerce.number().int().min(0).max(5), question: 'How many bars do you see?' });
    const intent = defineIntent({ name: 'weak_signal' });
    const recheck = defineWorkflow({
      name: 'recheck',
      intent,
      required: [],
      asks: [slot],
      run: async (ctx) => {
        const before = await ctx.ask(slot);
        const after = await ctx.ask(slot, { fresh: true, question: `You saw ${before} bars. Restart the phone: how many bars now?` });
        return { status: 'resolved', reply: after > before ? 'Better now.' : 'No change.' };
      },
    });
    const llm = new MockLLM();
    const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [intent], workflows: [recheck] });
    llm.enqueue({ intent: 'weak_signal', confidence: 0.9, entities: { bars: 1 } });
    const first = await agent.handle({ ticketId: 'P-7', message: 'only 1 bar' });
    expect(first.action).toMatchObject({ type: 'ask', slot: 'bars', question: 'You saw 1 bars. Restart the phone: how many bars now?' });
    expect(first.ticket.slots.bars).toBeUndefined();
    llm.enqueue({ intent: null, confidence: 0, entities: {} });
    const again = await agent.handle({ ticketId: 'P-7', message: 'hmm?' });
    expect(again.action).toMatchObject({ type: 'ask', slot: 'bars', question: 'You saw 1 bars. Restart the phone: how many bars now?' });
    llm.enqueue({ intent: null, confidence: 0, entities: { bars: 4 } });
    const done = await agent.handle({ ticketId: 'P-7', message: 'four' });
    expect(done.reply).toBe('Better now.');
  });
});

describe('procedures and crashes (E6, E4)', () => {
  // Turn 1 writes twice (checkpoint + look-up started, suspended); turn 2 writes twice too
  // (resume claim + roaming started, suspended). A crash before or after each of them.
  for (const turn of [1, 2]) {
    for (const atWrite of [1, 2]) {
      for (const point of ['before-write', 'after-write'] as const) {
        it(`E6 E4 a process killed ${point} ${atWrite} of turn ${turn} (${turn === 1 ? 'suspend' : 'resume'}) leaves the ticket recoverable; the resent message works`, async () => {
          const domain = procedureDomain('keep');
          const data = new MemoryStoreData();
          const base = new MemoryTicketStore({ data });
          const messages = [
            { text: 'no data on 555', decision: { intent: 'no_data', confidence: 0.9, entities: { phone: '555' } } },
            { text: 'no service', decision: { intent: null, confidence: 0, entities: { status_bar: 'no_service' } } },
          ];
          const agentOn = (store: typeof base, instanceId: string) => {
            const llm = new MockLLM({ respond: () => messages[Math.min(llmTurn, 1)]!.decision });
            return createAgent({
              store,
              llm,
              intents: domain.intents,
              workflows: domain.workflows,
              instanceId,
              leaseMs: 1_000,
              maxClockSkewMs: 0,
              now: () => Date.now() + (instanceId === 'after' ? 5_000 : 0),
            });
          };
          let llmTurn = 0;
          if (turn === 2) await agentOn(base, 'before').handle({ ticketId: 'C-1', message: messages[0]!.text, messageId: 'm-1' });
          llmTurn = turn - 1;
          const crashing = new (await import('@ticketflow/core/testing')).CrashingTicketStore(base, { atWrite, point });
          void agentOn(crashing as unknown as typeof base, 'doomed').handle({ ticketId: 'C-1', message: messages[turn - 1]!.text, messageId: `m-${turn}` });
          await crashing.crashed;
          const restarted = agentOn(base, 'after');
          const resent = await restarted.handle({ ticketId: 'C-1', message: messages[turn - 1]!.text, messageId: `m-${turn}` });
          expect(['ask', 'execute']).toContain(resent.action.type);
          const ticket = (await restarted.getTicket('C-1'))!;
          expect(ticket.status).not.toBe('executing');
          const keys = domain.backend.runs.map((run) => run.key);
          expect(new Set(keys).size).toBe(keys.length);
          if (ticket.status === 'awaiting_input') expect(ticket.execution?.awaiting?.slot).toBe(turn === 1 ? 'status_bar' : 'after_fix');
        });
      }
    }
  }
});
