import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import '../support/fast-check-seed.js';
import { z } from 'zod';
import { createAgent, DEFAULT_REPLIES, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';

/**
 * T5 and E2a after a run that did not complete (issue 14 audit): the failed, declined or
 * abandoned run with the same values is never answered "taken care of"; naming its intent
 * again — also after switching to another intent and back — or a yes to the offer runs it again.
 */
function outageWorld() {
  const state = { up: false, runs: 0, undone: [] as string[] };
  const region = defineSlot({ name: 'region', schema: z.string(), question: 'Which city?' });
  const outage = defineIntent({ name: 'no_internet', description: 'The internet does not work' });
  const billing = defineIntent({ name: 'billing', description: 'A question about the bill' });
  const check = defineTool({
    name: 'check_line',
    input: z.object({ region: z.string() }),
    output: z.object({ ok: z.boolean() }),
    retries: 0,
    run: () => {
      state.runs += 1;
      if (!state.up) throw new Error('line test backend down');
      return { ok: true };
    },
    compensate: (input) => void state.undone.push(input.region),
  });
  const fix = defineWorkflow({
    name: 'fix_line',
    intent: outage,
    required: [region],
    tools: [check],
    run: async (ctx) => {
      await ctx.call(check, { region: ctx.slots.region });
      return { status: 'resolved', reply: 'Your line is fixed.' };
    },
  });
  const bill = defineWorkflow({ name: 'show_bill', intent: billing, required: [], run: async () => ({ status: 'resolved', reply: 'Here is your bill.' }) });
  const llm = new MockLLM();
  const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [outage, billing], workflows: [fix, bill] });
  const say = (message: string, decision: { intent: string | null; confidence: number; entities?: Record<string, unknown> }) => {
    llm.enqueue({ entities: {}, ...decision });
    return agent.handle({ ticketId: 'RF-1', message });
  };
  return { state, say, agent };
}

describe('T5 E2a a run that did not complete', () => {
  it('T5 E2a coming back to the failed intent after another one runs it again (never "taken care of")', async () => {
    const world = outageWorld();
    const failed = await world.say('no internet in Berlin', { intent: 'no_internet', confidence: 0.95, entities: { region: 'Berlin' } });
    expect(failed.action).toMatchObject({ type: 'execute', outcome: 'failed' });
    world.state.up = true;
    expect((await world.say('also show me my bill', { intent: 'billing', confidence: 0.95 })).action).toMatchObject({ type: 'execute', workflow: 'show_bill' });
    const back = await world.say('and my internet still does not work!', { intent: 'no_internet', confidence: 0.95 });
    expect(back.action).toEqual({ type: 'execute', workflow: 'fix_line', outcome: 'resolved' });
    expect(world.state.runs).toBe(2);
  });

  it('T5 E2a a turn that neither names the intent nor says yes runs nothing and says so; a yes to the offer runs it again', async () => {
    const world = outageWorld();
    await world.say('no internet in Berlin', { intent: 'no_internet', confidence: 0.95, entities: { region: 'Berlin' } });
    world.state.up = true;
    const thanks = await world.say('ok', { intent: null, confidence: 0.2 });
    expect(thanks.action).toEqual({ type: 'acknowledge' });
    expect(thanks.reply).toBe(DEFAULT_REPLIES.notCompleted);
    expect(thanks.reply).not.toBe(DEFAULT_REPLIES.acknowledge);
    expect(world.state.runs).toBe(1);
    const yes = await world.say('yes please', { intent: null, confidence: 0.2, entities: { confirm: true } });
    expect(yes.action).toEqual({ type: 'execute', workflow: 'fix_line', outcome: 'resolved' });
    expect(world.state.runs).toBe(2);
    const after = await world.say('thanks', { intent: null, confidence: 0.2 });
    expect(after).toMatchObject({ action: { type: 'acknowledge' }, reply: DEFAULT_REPLIES.acknowledge });
    expect(world.state.runs).toBe(2);
  });

  it('T5 E2a a no to the offer cancels it — also when the model repeats the intent — and is remembered; naming the intent later runs it', async () => {
    const world = outageWorld();
    await world.say('no internet in Berlin', { intent: 'no_internet', confidence: 0.95, entities: { region: 'Berlin' } });
    world.state.up = true;
    await world.say('hmm', { intent: null, confidence: 0.2 });
    const no = await world.say('no, leave my internet alone', { intent: 'no_internet', confidence: 0.9, entities: { confirm: false } });
    expect(no).toMatchObject({ action: { type: 'cancelled', workflow: 'fix_line' }, reply: DEFAULT_REPLIES.cancelled });
    const thanks = await world.say('thanks', { intent: null, confidence: 0.2 });
    expect(thanks).toMatchObject({ action: { type: 'acknowledge' }, reply: DEFAULT_REPLIES.cancelled });
    expect(world.state.runs).toBe(1);
    const asked = await world.say('actually, please fix my internet', { intent: 'no_internet', confidence: 0.95 });
    expect(asked.action).toEqual({ type: 'execute', workflow: 'fix_line', outcome: 'resolved' });
    expect(world.state.runs).toBe(2);
  });

  it('T5 E2a running a failed run again never undoes an earlier completed run: only a procedure left unfinished is superseded', async () => {
    const world = outageWorld();
    world.state.up = true;
    expect((await world.say('no internet in Berlin', { intent: 'no_internet', confidence: 0.95, entities: { region: 'Berlin' } })).action).toMatchObject({
      outcome: 'resolved',
    });
    world.state.up = false;
    const moved = await world.say('I moved to Hamburg, no internet there', { intent: 'no_internet', confidence: 0.95, entities: { region: 'Hamburg' } });
    expect(moved.action).toMatchObject({ outcome: 'failed' });
    expect(world.state.undone).toEqual(['Hamburg']);
    world.state.up = true;
    expect((await world.say('please try again', { intent: 'no_internet', confidence: 0.95 })).action).toMatchObject({ outcome: 'resolved' });
    expect((await world.say('ok', { intent: null, confidence: 0.2 })).reply).toBe(DEFAULT_REPLIES.acknowledge);
    expect(world.state).toMatchObject({ runs: 3, undone: ['Hamburg'] });
  });

  it('T5 E2a a yes that answers no offer runs nothing: the reply makes the offer first', async () => {
    const world = outageWorld();
    await world.say('no internet in Berlin', { intent: 'no_internet', confidence: 0.95, entities: { region: 'Berlin' } });
    world.state.up = true;
    const yes = await world.say('yes', { intent: null, confidence: 0.2, entities: { confirm: true } });
    expect(yes).toMatchObject({ action: { type: 'acknowledge' }, reply: DEFAULT_REPLIES.notCompleted });
    expect(world.state.runs).toBe(1);
  });

  it("T5 E2a E6 a procedure left with onAbandon 'keep' after a step ran: coming back to it offers to run it again instead of running it on top", async () => {
    const state = { changes: 0, undone: 0 };
    const region = defineSlot({ name: 'region', schema: z.string(), question: 'Which city?' });
    const restarted = defineSlot({ name: 'restarted', schema: z.boolean(), question: 'Did you restart the router?' });
    const outage = defineIntent({ name: 'no_internet', description: 'The internet does not work' });
    const billing = defineIntent({ name: 'billing', description: 'A question about the bill' });
    const reprovision = defineTool({
      name: 'reprovision_line',
      input: z.object({ region: z.string() }),
      output: z.object({ ok: z.boolean() }),
      run: () => ((state.changes += 1), { ok: true }),
      compensate: () => {
        state.undone += 1;
      },
    });
    const procedure = defineWorkflow({
      name: 'line_procedure',
      intent: outage,
      required: [region],
      asks: [restarted],
      tools: [reprovision],
      run: async (ctx) => {
        await ctx.call(reprovision, { region: ctx.slots.region });
        await ctx.ask(restarted);
        return { status: 'resolved', reply: 'All set.' };
      },
    });
    const bill = defineWorkflow({ name: 'show_bill', intent: billing, required: [], run: async () => ({ status: 'resolved', reply: 'Here is your bill.' }) });
    const llm = new MockLLM();
    const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [outage, billing], workflows: [procedure, bill] });
    const say = (message: string, decision: { intent: string | null; confidence: number; entities?: Record<string, unknown> }) => {
      llm.enqueue({ entities: {}, ...decision });
      return agent.handle({ ticketId: 'RF-K', message });
    };
    expect((await say('no internet in Berlin', { intent: 'no_internet', confidence: 0.95, entities: { region: 'Berlin' } })).action).toMatchObject({
      type: 'ask',
      slot: 'restarted',
    });
    await say('show me my bill first', { intent: 'billing', confidence: 0.95 });
    const back = await say('back to my internet', { intent: 'no_internet', confidence: 0.95 });
    expect(back).toMatchObject({ action: { type: 'acknowledge' }, reply: DEFAULT_REPLIES.notCompleted });
    expect(state.changes).toBe(1);
    // Starting over supersedes what still stands of the run left (compensated first), never runs on top of it.
    const over = await say('yes, start over', { intent: null, confidence: 0.2, entities: { confirm: true } });
    expect(over.action).toMatchObject({ type: 'ask', slot: 'restarted' });
    expect(state).toEqual({ changes: 2, undone: 1 });
    const done = await say('yes I restarted it', { intent: null, confidence: 0.2, entities: { restarted: true } });
    expect(done.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    expect((await agent.inspect('RF-K')).ticket?.outcomes.line_procedure?.calls).toHaveLength(1);
    expect(state).toEqual({ changes: 2, undone: 1 });
  });

  it('T5 E2a property: after a failure, only a turn naming the intent or a yes to an offer runs the workflow, and no reply calls an unfinished run done', async () => {
    const turn = fc.record({
      intent: fc.constantFrom('no_internet', 'billing', null),
      confirm: fc.constantFrom(true, false, undefined),
      up: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(turn, { minLength: 1, maxLength: 8 }), async (turns) => {
        const world = outageWorld();
        await world.say('no internet in Berlin', { intent: 'no_internet', confidence: 0.95, entities: { region: 'Berlin' } });
        let offered = false;
        let lastFixOutcome: string = 'failed';
        let onOutage = true;
        for (const next of turns) {
          world.state.up = next.up;
          const runsBefore = world.state.runs;
          const entities = next.confirm === undefined ? {} : { confirm: next.confirm };
          const result = await world.say('…', { intent: next.intent, confidence: next.intent ? 0.95 : 0.2, entities });
          if (next.intent !== null) onOutage = next.intent === 'no_internet';
          const ran = world.state.runs > runsBefore;
          const named = next.intent === 'no_internet' && next.confirm !== false;
          if (ran) {
            expect(named || (offered && next.confirm === true), `ran on ${JSON.stringify(next)} (offered: ${offered})`).toBe(true);
            lastFixOutcome = world.state.up ? 'resolved' : 'failed';
          }
          if (onOutage && lastFixOutcome === 'failed') expect(result.reply).not.toBe(DEFAULT_REPLIES.acknowledge);
          offered = result.reply === DEFAULT_REPLIES.notCompleted;
        }
      }),
      { numRuns: 150 },
    );
  });
});
