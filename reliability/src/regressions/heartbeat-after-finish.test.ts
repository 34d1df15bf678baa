import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryStoreData, MemoryTicketStore, type TicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * Found by the chaos suite (procedures run on Redis: two tickets `resolved` yet holding an
 * execution with a lease ~1 h ahead and no id, workflow or owner; every later message waited
 * for that claim and failed with `StoreError` `conflict`, the run never finished). Reported to
 * the core's owners.
 *
 * The claim heartbeat (`execute/claim-heartbeat.ts`) renews the lease when no write renewed it
 * for a third of it. When the execution's last commit is slow (a loaded store, a long commit),
 * a tick fires while it is in flight and queues `journal.write()` behind it. That write runs
 * after the execution ended: `ExecutionJournal.apply` spreads `ticket.execution` — now null —
 * and commits `{ steps, answers, leaseExpiresAt }` as the ticket's execution. The ticket is
 * finished but carries a claim nobody owns: other workers wait for it, and the claim observer
 * never calls it abandoned (its `leaseMs` is undefined), until the lease is older than
 * `maxClockSkewMs` (an hour; two when written by a clock an hour ahead). The sweeper does not
 * see it either (the status is not `executing`).
 */
describe('core regression: a heartbeat queued behind an execution’s last commit', () => {
  function world() {
    const item = defineSlot({ name: 'item', schema: z.string().min(1), question: 'Which item?' });
    const purchase = defineIntent({ name: 'purchase', description: 'Buy an item' });
    const reserve = defineTool({
      name: 'reserve',
      input: z.object({ item: z.string() }),
      output: z.object({ ok: z.literal(true) }),
      timeoutMs: 250,
      run: () => ({ ok: true as const }),
    });
    const buy = defineWorkflow({
      name: 'buy',
      intent: purchase,
      required: [item],
      tools: [reserve],
      run: async (context) => {
        await context.call(reserve, { item: context.slots.item });
        return { status: 'resolved', reply: 'Bought.' };
      },
    });
    const data = new MemoryStoreData();
    /** The commit that ends an execution takes 250 ms (a loaded store): longer than a third of the 300 ms lease. */
    const slowFinish = new Proxy(new MemoryTicketStore({ data }), {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as (...args: unknown[]) => unknown;
        if (property !== 'commit') return typeof value === 'function' ? value.bind(target) : value;
        return async (request: { events: { type: string }[] }) => {
          if (request.events.some((event) => event.type === 'execution.completed')) await new Promise((resolve) => setTimeout(resolve, 250));
          return value.call(target, request);
        };
      },
    }) as TicketStore;
    const agent = (store: TicketStore, name: string) =>
      createAgent({
        store,
        llm: new MockLLM({ fallback: { intent: 'purchase', confidence: 0.95, entities: { item: 'router' } } }),
        intents: [purchase],
        workflows: [buy],
        leaseMs: 300,
        claimWaitMs: 1_000,
        instanceId: name,
      });
    return { owner: agent(slowFinish, 'owner'), other: agent(new MemoryTicketStore({ data }), 'other'), reader: new MemoryTicketStore({ data }) };
  }

  it('the execution completes', async () => {
    const { owner } = world();
    expect((await owner.handle({ ticketId: 'H-1', message: 'buy a router', messageId: 'm1' })).action).toMatchObject({ outcome: 'resolved' });
  });

  // Fixed in the core; a plain regression test since.
  it('E4 T6 a finished ticket holds no execution, and the next message of another worker is not kept waiting', async () => {
    const { owner, other, reader } = world();
    await owner.handle({ ticketId: 'H-2', message: 'buy a router', messageId: 'm1' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await reader.load('H-2'))?.ticket.execution).toBeNull();
    await expect(other.handle({ ticketId: 'H-2', message: 'thanks', messageId: 'm2' })).resolves.toMatchObject({ duplicate: false });
  });
});

describe('core regression: a heartbeat queued behind a procedure’s suspension', () => {
  // Fixed in the core; a plain regression test since.
  // another worker recovers it: the procedure is compensated and rolled back under the customer.
  it('E6 a suspended procedure keeps no lease, and another worker leaves it waiting for the answer', async () => {
    const { MemoryEffectLedger } = await import('@ticketflow/example-telecom-support');
    const { ChaosBackend } = await import('../procedures/chaos-backend.js');
    const { createProcedureAgent } = await import('../procedures/create-procedure-agent.js');
    const data = new MemoryStoreData();
    const slowSuspend = new Proxy(new MemoryTicketStore({ data }), {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as (...args: unknown[]) => unknown;
        if (property !== 'commit') return typeof value === 'function' ? value.bind(target) : value;
        return async (request: { events: { type: string }[] }) => {
          if (request.events.some((event) => event.type === 'execution.suspended')) await new Promise((resolve) => setTimeout(resolve, 250));
          return value.call(target, request);
        };
      },
    }) as TicketStore;
    const ledger = new MemoryEffectLedger();
    const options = { leaseMs: 300, toolTimeoutMs: 90, toolRetry: { minDelayMs: 1, maxDelayMs: 2 } };
    const { agent: owner } = createProcedureAgent({
      ...options,
      store: slowSuspend,
      backend: new ChaosBackend({ ledger, latencyMs: [0, 0] }),
      instanceId: 'owner',
    });
    const { agent: other } = createProcedureAgent({
      ...options,
      store: new MemoryTicketStore({ data }),
      backend: new ChaosBackend({ ledger, latencyMs: [0, 0] }),
      instanceId: 'other',
    });
    expect((await owner.handle({ ticketId: 'S-1', message: 'my router is broken, line L-1234', messageId: 'm1' })).action).toMatchObject({
      type: 'ask',
      slot: 'light',
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await new MemoryTicketStore({ data }).load('S-1'))?.ticket.execution?.leaseExpiresAt).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await other.recover()).recovered).toBe(0);
    expect((await other.handle({ ticketId: 'S-1', message: 'the light is green', messageId: 'm2' })).action).toMatchObject({
      type: 'execute',
      outcome: 'resolved',
    });
  });
});
