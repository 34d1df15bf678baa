import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type CommitRequest, createAgent, defineIntent, defineTool, defineWorkflow, MemoryTicketStore, StoreError, type TicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { sleep } from './helpers.js';

/**
 * DESIGN §3, T7 (found by the long-running audit): a store that goes away in the middle of an
 * execution — after the claim and a journal step landed and the tool ran — refuses the next
 * write with `not_applied`. That speaks of its own last call; the operation was partly applied,
 * so `handle` and `approve` reject with `outcome: 'unknown'`: a caller that trusted
 * `not_applied` would never resend, and the side effect would stand until someone recovers it.
 */
function flakyWorld(options: { approval?: boolean } = {}) {
  const state = { down: false, charged: 0, refunded: 0 };
  const inner = new MemoryTicketStore();
  const refused = () => Promise.reject(new StoreError({ kind: 'unavailable', adapter: 'flaky', message: 'connection refused', outcome: 'not_applied' }));
  const store: TicketStore = {
    name: 'flaky',
    load: (id) => (state.down ? refused() : inner.load(id)),
    commit: (request: CommitRequest) => (state.down ? refused() : inner.commit(request)),
    events: (id, query) => inner.events(id, query),
    delete: (id) => inner.delete(id),
    list: (query) => inner.list(query),
    purge: (purge) => inner.purge(purge),
    close: () => inner.close(),
  };
  const hold = defineTool({ name: 'hold', input: z.object({}), output: z.object({}), run: () => ({}) });
  const charge = defineTool({
    name: 'charge',
    input: z.object({}),
    output: z.object({}),
    ...(options.approval ? { requiresApproval: true } : {}),
    run: () => {
      state.charged += 1;
      if (state.charged === 1) state.down = true; // the database goes away while the first charge runs
      return {};
    },
    compensate: () => void (state.refunded += 1),
  });
  const pay = defineIntent({ name: 'pay', description: 'Pay the bill' });
  const payment = defineWorkflow({
    name: 'payment',
    intent: pay,
    tools: [hold, charge],
    run: async (context) => {
      await context.call(hold, {});
      await context.call(charge, {});
      return { status: 'resolved', reply: 'Paid.' };
    },
  });
  const agent = createAgent({ store, intents: [pay], workflows: [payment], leaseMs: 300, llm: new MockLLM({ fallback: { intent: 'pay', confidence: 0.95 } }) });
  return { state, agent, inner };
}

async function failure(operation: Promise<unknown>): Promise<StoreError> {
  try {
    await operation;
  } catch (error) {
    if (StoreError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('the operation did not fail');
}

describe('a store failure after the operation already changed the ticket', () => {
  it('T7 E4 handle rejects with outcome unknown (never not_applied); the resend with the same messageId finishes the story once', async () => {
    const { state, agent, inner } = flakyWorld();
    const error = await failure(agent.handle({ ticketId: 'PA-1', message: 'pay my bill', messageId: 'm-1' }));
    expect([error.kind, error.outcome]).toEqual(['unavailable', 'unknown']);
    expect(error.message).toContain('retry with the same messageId');
    expect(StoreError.isInstance(error.cause) && error.cause.outcome).toBe('not_applied');
    expect((await inner.load('PA-1'))?.ticket.status).toBe('executing');
    state.down = false;
    await sleep(400); // the lease lapses
    // The resend recovers the cut-off execution (its charge undone), then processes the message, which was never answered.
    const resent = await agent.handle({ ticketId: 'PA-1', message: 'pay my bill', messageId: 'm-1' });
    expect(resent.action).toEqual({ type: 'execute', workflow: 'payment', outcome: 'resolved' });
    expect([state.charged, state.refunded]).toEqual([2, 1]);
  });

  it('T7 a store refusing the very first write is still not_applied: nothing was changed', async () => {
    const { state, agent, inner } = flakyWorld();
    await agent.handle({ ticketId: 'PA-2', message: 'hello' }).catch(() => undefined);
    state.down = true;
    const error = await failure(agent.handle({ ticketId: 'PA-3', message: 'pay my bill', messageId: 'm-1' }));
    expect([error.kind, error.outcome]).toEqual(['unavailable', 'not_applied']);
    expect(await inner.load('PA-3')).toBeNull();
  });

  it('T7 E4 approve rejects with outcome unknown when the store goes away after the approved call ran', async () => {
    const { state, agent } = flakyWorld({ approval: true });
    const paused = await agent.handle({ ticketId: 'PA-4', message: 'pay my bill', messageId: 'm-1' });
    expect(paused.action).toMatchObject({ outcome: 'awaiting_approval' });
    const error = await failure(agent.approve('PA-4', { by: 'supervisor-1' }));
    expect([error.kind, error.outcome]).toEqual(['unavailable', 'unknown']);
    expect(state.charged).toBe(1);
  });
});
