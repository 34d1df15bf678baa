import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createAgent,
  defineIntent,
  defineSlot,
  defineTool,
  defineWorkflow,
  InvalidArgumentError,
  MemoryTicketStore,
  NonRetryableError,
  TicketStateError,
} from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { createSagaDomain } from './support/saga-domain.js';
import { decisionState } from './support/agent-harness.js';

const buyDecision = { intent: 'purchase', confidence: 0.95, entities: { item: 'router', quantity: 2 } };

function sagaAgent(options: { retries?: number; timeoutMs?: number } = {}) {
  const domain = createSagaDomain(options);
  const llm = new MockLLM({ fallback: buyDecision });
  const store = new MemoryTicketStore();
  const agent = createAgent({ store, llm, intents: domain.intents, workflows: domain.workflows, llmRetry: { retries: 0, minDelayMs: 1, maxDelayMs: 1 } });
  return { ...domain, llm, store, agent };
}

describe('executor: saga', () => {
  it.each([
    ['reserve', ['run:reserve', 'undo:reserve:unknown']],
    ['charge', ['run:reserve', 'run:charge', 'undo:charge:unknown', 'undo:reserve:known']],
    ['ship', ['run:reserve', 'run:charge', 'run:ship', 'undo:ship:unknown', 'undo:charge:known', 'undo:reserve:known']],
  ])('E3 a failure at step %s compensates every started step in reverse order, the failed one too', async (failing, expected) => {
    const saga = sagaAgent();
    saga.backend.failTool(failing, new Error(`${failing} exploded`));
    const result = await saga.agent.handle({ ticketId: `E3-${failing}`, message: 'buy 2 routers' });
    expect(result.action).toMatchObject({ type: 'execute', workflow: 'buy', outcome: 'failed' });
    expect(saga.order).toEqual(expected);
    expect(saga.backend.live()).toEqual([]);
    const { events } = await saga.agent.inspect(`E3-${failing}`);
    expect(events.filter((event) => event.type === 'step.compensated').map((event) => event.data?.tool)).toEqual(
      expected.filter((entry) => entry.startsWith('undo:')).map((entry) => entry.split(':')[1]),
    );
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['execution.failed', 'ticket.rolled_back', 'step.failed']));
  });

  it('T4 E3 a failed execution returns the decision state to the checkpoint, keeping the user facts of the turn', async () => {
    const saga = sagaAgent();
    saga.llm.enqueue({ intent: 'purchase', confidence: 0.95, entities: { item: 'router' } });
    const asked = await saga.agent.handle({ ticketId: 'T4-saga', message: 'buy a router' });
    expect(asked.action).toMatchObject({ type: 'ask', slot: 'quantity' });
    saga.backend.failTool('charge', new Error('card declined'));
    saga.llm.enqueue({ intent: null, confidence: 0, entities: { quantity: 3 } });
    const failed = await saga.agent.handle({ ticketId: 'T4-saga', message: 'three' });
    expect(failed.action).toMatchObject({ type: 'execute', outcome: 'failed' });
    expect(failed.reply).toMatch(/Nothing was changed/);
    expect(failed.ticket.slots.quantity).toMatchObject({ value: 3, source: 'user' });
    expect(failed.ticket.status).toBe(asked.ticket.status);
    expect(failed.ticket.execution).toBeNull();
    expect(failed.ticket.transcript.find((entry) => entry.text === 'three')).toMatchObject({ actedOn: false });
  });

  it('T5 the turn after a rolled-back execution works normally and can retry when the intent is restated', async () => {
    const saga = sagaAgent();
    saga.backend.failTool('ship', new Error('no courier'));
    await saga.agent.handle({ ticketId: 'T5-saga', message: 'buy' });
    saga.backend.clearFailures();
    saga.llm.enqueue({ intent: null, confidence: 0.1 });
    expect((await saga.agent.handle({ ticketId: 'T5-saga', message: 'ok thanks' })).action).toEqual({ type: 'acknowledge' });
    const retried = await saga.agent.handle({ ticketId: 'T5-saga', message: 'please try again to buy it' });
    expect(retried.action).toEqual({ type: 'execute', workflow: 'buy', outcome: 'resolved' });
  });

  it('E3 a compensation that keeps failing sends the ticket to needs_human with the details in its events', async () => {
    const saga = sagaAgent();
    saga.backend.failTool('ship', new Error('no courier'));
    saga.backend.failTool('charge.compensate', new Error('refund service down'));
    const result = await saga.agent.handle({ ticketId: 'E3-comp', message: 'buy' });
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'needs_human' });
    expect(result.ticket.status).toBe('needs_human');
    const { events } = await saga.agent.inspect('E3-comp');
    const failure = events.find((event) => event.type === 'compensation.failed');
    expect(failure?.data).toMatchObject({ tool: 'charge', attempts: 3, error: expect.stringContaining('refund service down') });
    expect(saga.order.filter((entry) => entry.startsWith('undo:reserve'))).toHaveLength(1);
    const next = await saga.agent.handle({ ticketId: 'E3-comp', message: 'hello?' });
    expect(next.action).toEqual({ type: 'escalate', reason: 'needs_human' });
    await expect(saga.agent.release('E3-comp', { by: '' })).rejects.toSatisfy((error: unknown) => InvalidArgumentError.isInstance(error));
    const released = await saga.agent.release('E3-comp', { by: 'ops-7', note: 'refunded by hand' });
    expect(released.status).toBe('collecting');
    saga.backend.clearFailures();
    expect((await saga.agent.handle({ ticketId: 'E3-comp', message: 'buy it again' })).action).toEqual({
      type: 'execute',
      workflow: 'buy',
      outcome: 'resolved',
    });
    await expect(saga.agent.release('E3-comp', { by: 'ops-7' })).rejects.toSatisfy((error: unknown) => TicketStateError.isInstance(error));
    const trace = await saga.agent.inspect('E3-comp');
    expect(trace.events.find((event) => event.type === 'ticket.released')?.data).toEqual({ by: 'ops-7', note: 'refunded by hand' });
  });

  it('E5 a hanging tool times out, its step fails and is compensated', async () => {
    const saga = sagaAgent({ timeoutMs: 50 });
    saga.backend.failTool('charge', 'hang');
    const started = Date.now();
    const result = await saga.agent.handle({ ticketId: 'E5-hang', message: 'buy' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'failed', reason: expect.stringContaining('did not finish within 50 ms') });
    expect(saga.order).toEqual(['run:reserve', 'run:charge', 'undo:charge:unknown', 'undo:reserve:known']);
  });

  it('E5 retries a failing tool within its budget with the same idempotency key', async () => {
    const saga = sagaAgent({ retries: 2 });
    let failures = 2;
    const original = saga.backend.run.bind(saga.backend);
    saga.backend.run = (async (tool: string, key: string, input: unknown, result: () => unknown) => {
      if (tool === 'charge' && failures > 0) {
        failures -= 1;
        throw new Error('flaky');
      }
      return original(tool, key, input, result);
    }) as typeof saga.backend.run;
    const result = await saga.agent.handle({ ticketId: 'E5-retry', message: 'buy' });
    expect(result.action).toMatchObject({ outcome: 'resolved' });
    const charges = saga.keys.filter((entry) => entry.tool === 'charge');
    expect(charges.map((entry) => entry.attempt)).toEqual([1, 2, 3]);
    expect(new Set(charges.map((entry) => entry.key)).size).toBe(1);
    const { events } = await saga.agent.inspect('E5-retry');
    expect(events.filter((event) => event.type === 'step.retried')).toHaveLength(2);
  });

  it('E5 stops after the retry budget, and at once for a non-retryable error', async () => {
    const budget = sagaAgent({ retries: 1 });
    budget.backend.failTool('charge', new Error('always'));
    expect((await budget.agent.handle({ ticketId: 'E5-budget', message: 'buy' })).action).toMatchObject({ outcome: 'failed' });
    expect(budget.keys.filter((entry) => entry.tool === 'charge')).toHaveLength(2);
    const fatal = sagaAgent({ retries: 3 });
    fatal.backend.failTool('charge', new NonRetryableError('card stolen'));
    expect((await fatal.agent.handle({ ticketId: 'E5-fatal', message: 'buy' })).action).toMatchObject({ outcome: 'failed' });
    expect(fatal.keys.filter((entry) => entry.tool === 'charge')).toHaveLength(1);
  });

  it('E5 idempotency keys derive from ticket, turn and step: distinct across steps and turns', async () => {
    const saga = sagaAgent();
    await saga.agent.handle({ ticketId: 'E5-keys', message: 'buy' });
    saga.llm.enqueue({ intent: 'purchase', confidence: 0.95, entities: { item: 'router', quantity: 5 } });
    await saga.agent.handle({ ticketId: 'E5-keys', message: 'make it 5' });
    const keys = saga.keys.map((entry) => entry.key);
    expect(new Set(keys.map((key) => key.split(':')[1])).size).toBe(1);
    expect(keys.map((key) => key.replace(/:[^:]{8}(:\d+:\d+)$/, '$1'))).toEqual([
      'E5-keys:1:0',
      'E5-keys:1:1',
      'E5-keys:1:2',
      'E5-keys:2:0',
      'E5-keys:2:1',
      'E5-keys:2:2',
    ]);
  });

  it('validates tool input before calling the tool and output before trusting it', async () => {
    const backend: string[] = [];
    const item = defineSlot({ name: 'item', schema: z.string(), question: 'Which item?' });
    const intent = defineIntent({ name: 'purchase', description: 'Buy an item' });
    const strict = defineTool({
      name: 'strict',
      input: z.object({ count: z.number().int() }),
      output: z.object({ id: z.string() }),
      run: (input) => {
        backend.push(`run ${input.count}`);
        return { id: input.count === 1 ? 'ok' : (42 as unknown as string) };
      },
      compensate: () => {
        backend.push('undo');
      },
    });
    const make = (count: unknown) =>
      defineWorkflow({
        name: 'wf',
        intent,
        required: [item],
        tools: [strict],
        run: async (context) => {
          await context.call(strict, { count } as never);
          return { status: 'resolved', reply: 'ok' };
        },
      });
    const run = async (count: unknown) => {
      const agent = createAgent({
        store: new MemoryTicketStore(),
        llm: new MockLLM({ fallback: { intent: 'purchase', confidence: 1, entities: { item: 'x' } } }),
        intents: [intent],
        workflows: [make(count)],
      });
      return agent.handle({ ticketId: 'v', message: 'go' });
    };
    expect((await run('one')).action).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('invalid input for tool "strict"') });
    expect(backend).toEqual([]);
    expect((await run(2)).action).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('invalid output from tool "strict"') });
    expect(backend).toEqual(['run 2', 'undo']);
  });

  it('E4 ctx.call refuses a tool the workflow does not list', async () => {
    const saga = createSagaDomain();
    const intent = saga.intents[0]!;
    const item = defineSlot({ name: 'item', schema: z.string(), question: 'Which item?' });
    const sneaky = defineWorkflow({
      name: 'sneaky',
      intent,
      required: [item],
      tools: [saga.tools.reserve!],
      run: async (context) => {
        await context.call(saga.tools.foreign!, { item: 'x', quantity: 1 });
        return { status: 'resolved', reply: 'done' };
      },
    });
    const agent = createAgent({
      store: new MemoryTicketStore(),
      llm: new MockLLM({ fallback: { intent: 'purchase', confidence: 1, entities: { item: 'x' } } }),
      intents: saga.intents,
      workflows: [sneaky],
    });
    const result = await agent.handle({ ticketId: 'E4-refuse', message: 'go' });
    expect(result.action).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('does not list tool "foreign"') });
    expect(saga.order).toEqual([]);
  });

  it('T3 a store failure in the middle of a turn leaves no partial update visible', async () => {
    const saga = sagaAgent();
    await saga.agent.handle({ ticketId: 'T3', message: 'buy' });
    const before = await saga.store.load('T3');
    const eventsBefore = await saga.store.events('T3');
    const originalCommit = saga.store.commit.bind(saga.store);
    saga.store.commit = async () => {
      throw new Error('disk full');
    };
    saga.llm.enqueue({ intent: 'purchase', confidence: 0.95, entities: { item: 'modem', quantity: 1 } });
    await expect(saga.agent.handle({ ticketId: 'T3', message: 'buy a modem' })).rejects.toThrow('disk full');
    saga.store.commit = originalCommit;
    expect(await saga.store.load('T3')).toEqual(before);
    expect(await saga.store.events('T3')).toEqual(eventsBefore);
    expect(decisionState((await saga.agent.getTicket('T3'))!)).toEqual(decisionState({ ...before!.ticket }));
  });
});

describe('executor: tool signals', () => {
  it('E5 a tool that reads ctx.signal sees it abort when its timeout fires', async () => {
    const item = defineSlot({ name: 'item', schema: z.string(), question: 'Which item?' });
    const intent = defineIntent({ name: 'purchase', description: 'Buy an item' });
    const seen: string[] = [];
    const patient = defineTool({
      name: 'patient',
      input: z.object({}),
      output: z.object({}),
      timeoutMs: 30,
      run: (_input, context) =>
        new Promise((_, reject) => {
          context.signal.addEventListener('abort', () => {
            seen.push(`aborted: ${(context.signal.reason as Error).message}`);
            reject(context.signal.reason);
          });
        }),
    });
    const workflow = defineWorkflow({
      name: 'wf',
      intent,
      required: [item],
      tools: [patient],
      run: async (context) => {
        await context.call(patient, {});
        return { status: 'resolved', reply: 'ok' };
      },
    });
    const agent = createAgent({
      store: new MemoryTicketStore(),
      llm: new MockLLM({ fallback: { intent: 'purchase', confidence: 1, entities: { item: 'x' } } }),
      intents: [intent],
      workflows: [workflow],
    });
    const result = await agent.handle({ ticketId: 'sig', message: 'go' });
    expect(result.action).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('within 30 ms') });
    expect(seen).toEqual(['aborted: tool "patient" did not finish within 30 ms']);
  });
});
