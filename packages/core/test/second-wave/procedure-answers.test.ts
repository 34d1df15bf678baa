import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryTicketStore, replayTicket } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';

/**
 * What a procedure's answers are on later turns (E6, P1): an answer to `ctx.ask` is returned as
 * the customer gave it on every resume of the run — a sensitive one too, which the journal keeps
 * sealed, never as its mask.
 */
function pinDomain(run: 'late-use' | 'compare') {
  const toolInputs: unknown[] = [];
  const seen: unknown[] = [];
  const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'What is your phone number?' });
  const pin = defineSlot({ name: 'pin', schema: z.string().regex(/^\d{4}$/), sensitive: true, question: 'What is your account PIN?' });
  const statusBar = defineSlot({ name: 'status_bar', schema: z.enum(['no_service', 'bars']), question: 'What does the status bar show?' });
  const noData = defineIntent({ name: 'no_data', label: 'mobile data not working' });
  const verify = defineTool({
    name: 'verify_pin',
    input: z.object({ line: z.string(), pin: z.string() }),
    output: z.object({ ok: z.boolean() }),
    run: (input) => (toolInputs.push(input), { ok: true }),
  });
  const workflow = defineWorkflow({
    name: 'mobile_data_path',
    intent: noData,
    required: [phone],
    asks: [pin, statusBar],
    tools: [verify],
    run: async (ctx) => {
      const first = await ctx.ask(pin);
      if (run === 'compare') {
        const again = await ctx.ask(pin, { fresh: true, question: 'For security, please type your PIN once more.' });
        seen.push({ first, again });
        const bar = await ctx.ask(statusBar);
        return first === again ? { status: 'resolved', reply: `PIN confirmed (${bar}).` } : { status: 'escalated', reply: 'The PINs differ.' };
      }
      const bar = await ctx.ask(statusBar);
      await ctx.call(verify, { line: ctx.slots.phone, pin: first });
      return { status: 'resolved', reply: `Verified (${bar}).` };
    },
  });
  const llm = new MockLLM();
  const store = new MemoryTicketStore();
  const options = { intents: [noData], workflows: [workflow], encryptionKey: randomBytes(32).toString('base64') };
  const agent = createAgent({ store, llm, ...options });
  const say = (message: string, entities: Record<string, unknown>) => {
    llm.enqueue({ intent: 'no_data', confidence: 0.9, entities });
    return agent.handle({ ticketId: 'PA-1', message });
  };
  return { agent, store, options, say, toolInputs, seen };
}

describe('answers of a procedure on later turns (E6, P1)', () => {
  it('E6 P1 a sensitive answer to ctx.ask is returned in clear on every later resume (a tool gets the PIN, not its mask)', async () => {
    const world = pinDomain('late-use');
    expect((await world.say('data dead on 5551234', { phone: '5551234' })).action).toMatchObject({ type: 'ask', slot: 'pin' });
    expect((await world.say('my pin is 8642', { pin: '8642' })).action).toMatchObject({ type: 'ask', slot: 'status_bar' });
    const done = await world.say('no service', { status_bar: 'no_service' });
    expect(done.action).toEqual({ type: 'execute', workflow: 'mobile_data_path', outcome: 'resolved' });
    expect(world.toolInputs).toEqual([{ line: '5551234', pin: '8642' }]);
    const { ticket, events } = await world.agent.inspect('PA-1');
    expect(JSON.stringify({ ticket, events })).not.toContain('8642');
    const report = await replayTicket({ store: world.store, ticketId: 'PA-1', ...world.options });
    expect(report.diverged).toBe(false);
  });

  it('E6 P1 a fresh re-ask of a sensitive slot compares the two answers the customer typed, not two masks', async () => {
    const world = pinDomain('compare');
    await world.say('data dead on 5551234', { phone: '5551234' });
    await world.say('pin 8642', { pin: '8642' });
    expect((await world.say('pin 1111', { pin: '1111' })).action).toMatchObject({ type: 'ask', slot: 'status_bar' });
    const done = await world.say('bars', { status_bar: 'bars' });
    expect(done.reply).toBe('The PINs differ.');
    expect(world.seen.at(-1)).toEqual({ first: '8642', again: '1111' });
  });
});

describe('a corrected value of a confirmed procedure that waits (E2, E2a, E6)', () => {
  for (const onAbandon of ['compensate', 'keep'] as const) {
    it(`E2 E2a a corrected amount while a confirmed procedure waits asks the confirmation again; a yes undoes the first credit first (onAbandon ${onAbandon})`, async () => {
      const credits: string[] = [];
      const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'Your phone number?' });
      const amount = defineSlot({ name: 'amount', schema: z.number().positive(), question: 'How much?' });
      const statusBar = defineSlot({ name: 'status_bar', schema: z.enum(['no_service', 'bars']), question: 'What does the status bar show?' });
      const credit = defineIntent({ name: 'credit', label: 'a credit' });
      const issue = defineTool({
        name: 'issue_credit',
        input: z.object({ line: z.string(), amount: z.number() }),
        output: z.object({ ref: z.string() }),
        run: (input, context) => (credits.push(`+${input.amount} ${context.idempotencyKey}`), { ref: `R${input.amount}` }),
        compensate: (input, _output, context) => void credits.push(`-${input.amount} ${context.idempotencyKey}`),
      });
      const workflow = defineWorkflow({
        name: 'credit_procedure',
        intent: credit,
        required: [phone, amount],
        asks: [statusBar],
        confirm: true,
        onAbandon,
        tools: [issue],
        run: async (ctx) => {
          const { ref } = await ctx.call(issue, { line: ctx.slots.phone, amount: ctx.slots.amount });
          const bar = await ctx.ask(statusBar);
          return { status: 'resolved', reply: `Credited ${ctx.slots.amount} (${ref}), bar ${bar}.` };
        },
      });
      const llm = new MockLLM();
      const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [credit], workflows: [workflow] });
      const say = (message: string, entities: Record<string, unknown>, intent: string | null = 'credit') => {
        llm.enqueue({ intent, confidence: intent ? 0.9 : 0, entities });
        return agent.handle({ ticketId: 'CP-1', message });
      };
      expect((await say('credit 20 to 5551234', { phone: '5551234', amount: 20 })).action).toMatchObject({ type: 'ask', slot: 'confirm' });
      expect((await say('yes', { confirm: true }, null)).action).toMatchObject({ type: 'ask', slot: 'status_bar' });
      expect(credits).toHaveLength(1);
      const corrected = await say('sorry, 45 not 20', { amount: 45 });
      expect(corrected.action).toMatchObject({ type: 'ask', slot: 'confirm' });
      expect(corrected.reply).toContain('45');
      const done = await say('yes', { confirm: true }, null);
      expect(done.action).toMatchObject({ type: 'ask', slot: 'status_bar' });
      const finished = await say('no service', { status_bar: 'no_service' }, null);
      expect(finished.action).toEqual({ type: 'execute', workflow: 'credit_procedure', outcome: 'resolved' });
      // Exactly one credit stands: 20 undone (when the procedure was left, or before the confirmed 45 ran), 45 given.
      const standing = credits.filter((entry) => entry.startsWith('+')).filter((given) => !credits.includes(`-${given.slice(1)}`));
      expect(standing.map((entry) => entry.split(' ')[0])).toEqual(['+45']);
    });
  }
});

describe('a caught tool error on later turns (E6, E1)', () => {
  it('E6 E1 a tool error the workflow caught is thrown again on resume and in replay with its name, message and code, so the run branches the same', async () => {
    class LimitError extends Error {
      readonly code = 'LIMIT';
      readonly status = 429;
      constructor() {
        super('daily limit reached for jane@example.com');
        this.name = 'LimitError';
      }
    }
    const caught: { name: string; message: string; code: unknown; status: unknown }[] = [];
    const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'Your phone number?' });
    const statusBar = defineSlot({ name: 'status_bar', schema: z.enum(['no_service', 'bars']), question: 'What does the status bar show?' });
    const noData = defineIntent({ name: 'no_data', label: 'mobile data not working' });
    const topUp = defineTool({
      name: 'top_up',
      input: z.object({ line: z.string() }),
      output: z.object({}),
      retries: 0,
      run: () => {
        throw new LimitError();
      },
    });
    const roaming = defineTool({ name: 'enable_roaming', input: z.object({ line: z.string() }), output: z.object({}), run: () => ({}) });
    const resetApn = defineTool({ name: 'reset_apn', input: z.object({ line: z.string() }), output: z.object({}), run: () => ({}) });
    const workflow = defineWorkflow({
      name: 'mobile_data_path',
      intent: noData,
      required: [phone],
      asks: [statusBar],
      tools: [topUp, roaming, resetApn],
      run: async (ctx) => {
        let limited = false;
        try {
          await ctx.call(topUp, { line: ctx.slots.phone });
        } catch (error) {
          const thrown = error as Error & { code?: unknown; status?: unknown };
          caught.push({ name: thrown.name, message: thrown.message, code: thrown.code, status: thrown.status });
          limited = thrown.code === 'LIMIT';
        }
        await ctx.call(limited ? roaming : resetApn, { line: ctx.slots.phone });
        const bar = await ctx.ask(statusBar);
        return { status: 'resolved', reply: `Done (${limited ? 'roaming' : 'apn'}, ${bar}).` };
      },
    });
    const llm = new MockLLM();
    const store = new MemoryTicketStore();
    const definitions = { intents: [noData], workflows: [workflow] };
    const agent = createAgent({ store, llm, ...definitions });
    llm.enqueue({ intent: 'no_data', confidence: 0.9, entities: { phone: '5551234' } }, { intent: null, confidence: 0, entities: { status_bar: 'bars' } });
    expect((await agent.handle({ ticketId: 'CE-1', message: 'data dead on 5551234' })).action).toMatchObject({ type: 'ask', slot: 'status_bar' });
    const done = await agent.handle({ ticketId: 'CE-1', message: 'bars' });
    expect(done.action).toEqual({ type: 'execute', workflow: 'mobile_data_path', outcome: 'resolved' });
    expect(done.reply).toBe('Done (roaming, bars).');
    // The first run saw the tool's error; the resume sees the same error again (a workflow may put its message in a tool input).
    expect(caught[0]).toEqual({ name: 'LimitError', message: 'daily limit reached for jane@example.com', code: 'LIMIT', status: 429 });
    expect(caught[1]).toEqual(caught[0]);
    const report = await replayTicket({ store, ticketId: 'CE-1', ...definitions });
    expect(report.turns.map((turn) => turn.same)).toEqual([true, true]);
    expect(report.diverged).toBe(false);
    expect(caught.slice(2).every((seen) => seen.code === 'LIMIT' && seen.name === 'LimitError')).toBe(true);
  });
});

describe('a confirmed procedure left while it waits (E6, O2)', () => {
  it('O2 E6 a confirmed procedure expired by inputTimeoutMs is back to open, not in the awaiting_confirmation queue with nothing to confirm', async () => {
    let now = Date.parse('2026-12-07T10:00:00Z');
    const amount = defineSlot({ name: 'amount', schema: z.number().positive(), question: 'How much?' });
    const statusBar = defineSlot({ name: 'status_bar', schema: z.enum(['no_service', 'bars']), question: 'What does the status bar show?' });
    const credit = defineIntent({ name: 'credit', label: 'a credit' });
    const issue = defineTool({
      name: 'issue_credit',
      input: z.object({ amount: z.number() }),
      output: z.object({}),
      run: () => ({}),
      compensate: () => undefined,
    });
    const workflow = defineWorkflow({
      name: 'credit_procedure',
      intent: credit,
      required: [amount],
      asks: [statusBar],
      confirm: true,
      tools: [issue],
      run: async (ctx) => {
        await ctx.call(issue, { amount: ctx.slots.amount });
        return { status: 'resolved', reply: `Credited (${await ctx.ask(statusBar)}).` };
      },
    });
    const llm = new MockLLM();
    const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [credit], workflows: [workflow], inputTimeoutMs: 60_000, now: () => now });
    llm.enqueue({ intent: 'credit', confidence: 0.9, entities: { amount: 20 } }, { intent: null, confidence: 0, entities: { confirm: true } });
    await agent.handle({ ticketId: 'CX-1', message: 'credit 20' });
    expect((await agent.handle({ ticketId: 'CX-1', message: 'yes' })).ticket.status).toBe('awaiting_input');
    now += 61_000;
    expect((await agent.recover()).inputsExpired).toBe(1);
    const ticket = await agent.getTicket('CX-1');
    expect(ticket?.status).toBe('open');
    expect((await agent.list({ status: 'awaiting_confirmation' })).tickets).toEqual([]);
    const { events } = await agent.inspect('CX-1');
    const last = events.filter((event) => event.type === 'status.changed').at(-1);
    expect(last?.data).toMatchObject({ from: 'executing', to: 'open' });
  });
});

describe('values given while a procedure waits (E6, E1)', () => {
  it('E6 E1 an optional value added or changed while the procedure waits does not change the resumed run: it replays its journal and finishes', async () => {
    const calls: unknown[] = [];
    const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'Your phone number?' });
    const device = defineSlot({ name: 'device', schema: z.string(), question: 'Which phone?' });
    const statusBar = defineSlot({ name: 'status_bar', schema: z.enum(['no_service', 'bars']), question: 'What does the status bar show?' });
    const noData = defineIntent({ name: 'no_data', label: 'mobile data not working' });
    const diagnose = defineTool({
      name: 'diagnose',
      input: z.object({ line: z.string(), device: z.string() }),
      output: z.object({}),
      run: (input) => (calls.push(input), {}),
    });
    const workflow = defineWorkflow({
      name: 'mobile_data_path',
      intent: noData,
      required: [phone],
      optional: [device],
      asks: [statusBar],
      tools: [diagnose],
      run: async (ctx) => {
        await ctx.call(diagnose, { line: ctx.slots.phone, device: ctx.slots.device ?? 'unknown' });
        const bar = await ctx.ask(statusBar);
        return { status: 'resolved', reply: `Checked (${bar}).` };
      },
    });
    const llm = new MockLLM();
    const store = new MemoryTicketStore();
    const agent = createAgent({ store, llm, intents: [noData], workflows: [workflow] });
    llm.enqueue(
      { intent: 'no_data', confidence: 0.9, entities: { phone: '555' } },
      { intent: null, confidence: 0, entities: { device: 'Pixel 8' } },
      { intent: null, confidence: 0, entities: { status_bar: 'bars' } },
    );
    expect((await agent.handle({ ticketId: 'OV-1', message: 'no data on 555' })).action).toMatchObject({ type: 'ask', slot: 'status_bar' });
    expect((await agent.handle({ ticketId: 'OV-1', message: 'it is a Pixel 8' })).action).toMatchObject({ type: 'ask', slot: 'status_bar' });
    const done = await agent.handle({ ticketId: 'OV-1', message: 'bars' });
    expect(done.action).toEqual({ type: 'execute', workflow: 'mobile_data_path', outcome: 'resolved' });
    expect(calls).toEqual([{ line: '555', device: 'unknown' }]);
    expect(done.ticket.slots.device?.value).toBe('Pixel 8');
    expect((await replayTicket({ store, ticketId: 'OV-1', intents: [noData], workflows: [workflow] })).diverged).toBe(false);
  });
});

describe('a corrected answer the run already acted on (E6, E2a)', () => {
  it('E6 correcting an earlier ctx.ask answer while the procedure waits starts it again with the corrected answer', async () => {
    const calls: string[] = [];
    const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'Your phone number?' });
    const statusBar = defineSlot({ name: 'status_bar', schema: z.enum(['no_service', 'bars']), question: 'What does the status bar show?' });
    const afterFix = defineSlot({ name: 'after_fix', schema: z.enum(['works', 'broken']), question: 'Does it work now?' });
    const noData = defineIntent({ name: 'no_data', label: 'mobile data not working' });
    const fix = defineTool({ name: 'fix', input: z.object({ how: z.string() }), output: z.object({}), run: (input) => (calls.push(input.how), {}) });
    const workflow = defineWorkflow({
      name: 'mobile_data_path',
      intent: noData,
      required: [phone],
      asks: [statusBar, afterFix],
      tools: [fix],
      onAbandon: 'compensate',
      run: async (ctx) => {
        const bar = await ctx.ask(statusBar);
        await ctx.call(fix, { how: bar === 'no_service' ? 'roaming' : 'apn' });
        const after = await ctx.ask(afterFix);
        return { status: 'resolved', reply: `Fixed by ${bar === 'no_service' ? 'roaming' : 'apn'} (${after}).` };
      },
    });
    const llm = new MockLLM();
    const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [noData], workflows: [workflow] });
    llm.enqueue(
      { intent: 'no_data', confidence: 0.9, entities: { phone: '555' } },
      { intent: null, confidence: 0, entities: { status_bar: 'no_service' } },
      { intent: null, confidence: 0, entities: { status_bar: 'bars' } },
      { intent: null, confidence: 0, entities: { after_fix: 'works' } },
    );
    await agent.handle({ ticketId: 'CA-1', message: 'no data on 555' });
    expect((await agent.handle({ ticketId: 'CA-1', message: 'no service' })).action).toMatchObject({ type: 'ask', slot: 'after_fix' });
    expect((await agent.handle({ ticketId: 'CA-1', message: 'sorry, it shows bars' })).action).toMatchObject({ type: 'ask', slot: 'after_fix' });
    const done = await agent.handle({ ticketId: 'CA-1', message: 'works now' });
    expect(done.reply).toBe('Fixed by apn (works).');
    expect(calls).toEqual(['roaming', 'apn']);
  });
});
