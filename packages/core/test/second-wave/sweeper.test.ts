import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createAgent,
  defineIntent,
  defineSlot,
  defineTool,
  defineWorkflow,
  InvalidArgumentError,
  MemoryStoreData,
  MemoryTicketStore,
  type TicketStore,
} from '@ticketflow/core';
import { CrashingTicketStore } from '@ticketflow/core/testing';
import { MockLLM } from '@ticketflow/llm-mock';
import { eventsOf, sleep, waitFor } from './helpers.js';

/**
 * E7 (issue 15.2): nothing waits for the customer to write again. `agent.recover()` finishes
 * executions whose worker died (compensating them), expires approvals older than
 * `approvalTimeoutMs`, and is safe from many processes at once: each ticket handled once.
 */
const LEASE = 300;

function sweeperWorld() {
  const runs: { tool: string; key: string }[] = [];
  const undos: { tool: string; key: string; reason: string }[] = [];
  const hanging = new Set<string>();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let offset = 0;
  const amount = defineSlot({ name: 'amount', schema: z.number().positive(), question: 'How much?' });
  const intent = defineIntent({ name: 'refund', description: 'Refund a payment' });
  const step = (name: string, options: { approval?: boolean } = {}) =>
    defineTool({
      name,
      input: z.object({ amount: z.number() }),
      output: z.object({ ok: z.boolean() }),
      ...(options.approval ? { requiresApproval: (input: { amount: number }) => input.amount > 50 } : {}),
      run: async (_input, context) => {
        runs.push({ tool: name, key: context.idempotencyKey });
        if (hanging.has(name)) await held;
        return { ok: true };
      },
      compensate: (_input, _output, context) => {
        undos.push({ tool: name, key: context.idempotencyKey, reason: context.reason });
      },
    });
  const hold = step('hold_funds');
  const pay = step('pay_out', { approval: true });
  const workflow = defineWorkflow({
    name: 'refund',
    intent,
    required: [amount],
    tools: [hold, pay],
    run: async (context) => {
      await context.call(hold, { amount: context.slots.amount });
      await context.call(pay, { amount: context.slots.amount });
      return { status: 'resolved', reply: 'Refunded.' };
    },
  });
  const data = new MemoryStoreData();
  const base = new MemoryTicketStore({ data });
  const agentOn = (store: TicketStore, instanceId: string, options: { approvalTimeoutMs?: number } = {}) =>
    createAgent({
      store,
      llm: new MockLLM({ fallback: { intent: null, confidence: 0.1 } }),
      intents: [intent],
      workflows: [workflow],
      instanceId,
      leaseMs: LEASE,
      approvalTimeoutMs: options.approvalTimeoutMs ?? 60_000,
      now: () => Date.now() + offset,
    });
  /** Starts `ticketId` on a worker that dies while pay_out (or hold_funds) runs. */
  const crashMidTool = async (ticketId: string, tool: 'hold_funds' | 'pay_out' = 'pay_out') => {
    hanging.clear();
    hanging.add(tool);
    const crashing = new CrashingTicketStore(base, { atWrite: 1_000, point: 'before-write' });
    const doomed = createAgent({
      store: crashing,
      llm: new MockLLM({ fallback: { intent: 'refund', confidence: 0.95, entities: { amount: 20 } } }),
      intents: [intent],
      workflows: [workflow],
      instanceId: `doomed-${ticketId}`,
      leaseMs: LEASE,
      now: () => Date.now() + offset,
    });
    void doomed.handle({ ticketId, message: 'refund 20', messageId: 'm-1' });
    await waitFor(() => runs.some((run) => run.tool === tool && run.key.startsWith(`${ticketId}:`)), 5_000, `${tool} of ${ticketId}`);
    crashing.crash();
  };
  const requestApproval = async (ticketId: string) => {
    const agent = createAgent({
      store: base,
      llm: new MockLLM({ fallback: { intent: 'refund', confidence: 0.95, entities: { amount: 80 } } }),
      intents: [intent],
      workflows: [workflow],
      leaseMs: LEASE,
      now: () => Date.now() + offset,
    });
    const paused = await agent.handle({ ticketId, message: 'refund 80' });
    expect(paused.ticket.status).toBe('awaiting_approval');
  };
  /** Sweeps (as an interval would) until `done` or the attempts run out; returns the summed report. */
  const sweepUntil = async (agent: ReturnType<typeof agentOn>, done: (total: { recovered: number; approvalsExpired: number }) => boolean, attempts = 40) => {
    const total = { recovered: 0, approvalsExpired: 0, inputsExpired: 0, live: 0 };
    for (let attempt = 0; attempt < attempts && !done(total); attempt += 1) {
      const report = await agent.recover();
      total.recovered += report.recovered;
      total.approvalsExpired += report.approvalsExpired;
      total.inputsExpired += report.inputsExpired;
      total.live += report.live;
      if (!done(total)) await sleep(LEASE / 3);
    }
    return total;
  };
  return {
    runs,
    undos,
    hanging,
    release: () => release(),
    definitions: { intents: [intent], workflows: [workflow] },
    base,
    data,
    agentOn,
    crashMidTool,
    requestApproval,
    sweepUntil,
    advance: (ms: number) => (offset += ms),
  };
}

describe('the sweeper (E7)', () => {
  it('E7 E4 a crashed execution is compensated by agent.recover() with no customer message', async () => {
    const w = sweeperWorld();
    await w.crashMidTool('SW-1');
    w.hanging.clear();
    const sweeper = w.agentOn(w.base, 'sweeper');
    const recoveredHook: unknown[] = [];
    sweeper.on('ticket.recovered', (event) => recoveredHook.push(event));
    const total = await w.sweepUntil(sweeper, (sum) => sum.recovered > 0);
    expect(total.recovered).toBe(1);
    expect(w.undos.filter((undo) => undo.reason === 'recovered').map((undo) => undo.tool)).toEqual(['pay_out', 'hold_funds']);
    const { ticket, events } = await sweeper.inspect('SW-1');
    expect(ticket?.status).not.toBe('executing');
    expect(ticket?.execution).toBeNull();
    expect(eventsOf(events, 'message.received')).toHaveLength(1);
    expect(eventsOf(events, 'execution.recovered')).toHaveLength(1);
    expect(eventsOf(events, 'execution.recovered')[0]!.data).toMatchObject({ workflow: 'refund', compensated: true, steps: 2 });
    expect(ticket?.transcript.find((entry) => entry.role === 'user')).toMatchObject({ messageId: 'm-1', actedOn: false });
    await waitFor(() => recoveredHook.length === 1, 2_000, 'the ticket.recovered hook');
    expect(recoveredHook[0]).toMatchObject({ ticketId: 'SW-1', workflow: 'refund' });
    // Nothing left to do.
    expect((await sweeper.recover()).recovered).toBe(0);
  });

  it('E7 an approval older than approvalTimeoutMs goes to needs_human with approval.expired; a younger one is left alone', async () => {
    const w = sweeperWorld();
    await w.requestApproval('SW-2');
    const sweeper = w.agentOn(w.base, 'sweeper');
    const expiredHook: unknown[] = [];
    sweeper.on('approval.expired', (event) => expiredHook.push(event));
    expect((await sweeper.recover()).approvalsExpired).toBe(0);
    expect((await sweeper.getTicket('SW-2'))?.status).toBe('awaiting_approval');
    w.advance(60_001);
    const report = await sweeper.recover();
    expect(report.approvalsExpired).toBe(1);
    const { ticket, events } = await sweeper.inspect('SW-2');
    expect(ticket?.status).toBe('needs_human');
    expect(ticket?.execution).toBeNull();
    const expired = eventsOf(events, 'approval.expired');
    expect(expired).toHaveLength(1);
    expect(expired[0]!.data).toMatchObject({ workflow: 'refund', tool: 'pay_out' });
    expect(expired[0]!.data.waitedMs).toBeGreaterThan(60_000);
    // The step that ran before the approval is undone; the unapproved one never ran.
    expect(w.undos.map((undo) => `${undo.tool}:${undo.reason}`)).toEqual(['hold_funds:expired']);
    expect(w.runs.map((run) => run.tool)).toEqual(['hold_funds']);
    await waitFor(() => expiredHook.length === 1, 2_000, 'the approval.expired hook');
    expect((await sweeper.recover()).approvalsExpired).toBe(0);
  });

  it('E7 approvalTimeoutMs: Infinity never expires an approval', async () => {
    const w = sweeperWorld();
    await w.requestApproval('SW-3');
    w.advance(365 * 86_400_000);
    const sweeper = w.agentOn(w.base, 'sweeper', { approvalTimeoutMs: Number.POSITIVE_INFINITY });
    expect((await sweeper.recover()).approvalsExpired).toBe(0);
    expect((await sweeper.getTicket('SW-3'))?.status).toBe('awaiting_approval');
  });

  it('E7 two agents racing recover() over four crashed tickets handle each ticket once', async () => {
    const w = sweeperWorld();
    const ids = ['R-1', 'R-2', 'R-3', 'R-4'];
    for (const id of ids) await w.crashMidTool(id, id === 'R-1' ? 'hold_funds' : 'pay_out');
    w.hanging.clear();
    const a = w.agentOn(new MemoryTicketStore({ data: w.data }), 'sweeper-a');
    const b = w.agentOn(new MemoryTicketStore({ data: w.data }), 'sweeper-b');
    let settled = false;
    const loop = async (agent: ReturnType<typeof w.agentOn>) => {
      let recovered = 0;
      for (let round = 0; round < 60 && !settled; round += 1) {
        recovered += (await agent.recover()).recovered;
        settled = (await w.base.list({ status: 'executing' })).tickets.length === 0;
        if (!settled) await sleep(LEASE / 4);
      }
      return recovered;
    };
    const [byA, byB] = await Promise.all([loop(a), loop(b)]);
    expect(byA + byB).toBe(ids.length);
    const recovered = w.undos.filter((undo) => undo.reason === 'recovered').map((undo) => undo.key);
    expect(new Set(recovered).size).toBe(recovered.length);
    expect(recovered).toHaveLength(7);
    for (const id of ids) {
      const events = await w.base.events(id);
      expect(
        events.filter((event) => event.type === 'execution.recovery_started'),
        id,
      ).toHaveLength(1);
      expect(
        events.filter((event) => event.type === 'execution.recovered'),
        id,
      ).toHaveLength(1);
    }
  });

  it('E7 two agents racing recover() over expired approvals expire each one once', async () => {
    const w = sweeperWorld();
    const ids = ['X-1', 'X-2', 'X-3'];
    for (const id of ids) await w.requestApproval(id);
    w.advance(61_000);
    const a = w.agentOn(new MemoryTicketStore({ data: w.data }), 'sweeper-a');
    const b = w.agentOn(new MemoryTicketStore({ data: w.data }), 'sweeper-b');
    const [ra, rb] = await Promise.all([a.recover(), b.recover()]);
    expect(ra.approvalsExpired + rb.approvalsExpired).toBe(ids.length);
    for (const id of ids) {
      const events = await w.base.events(id);
      expect(
        events.filter((event) => event.type === 'approval.expired'),
        id,
      ).toHaveLength(1);
      expect((await w.base.load(id))!.ticket.status).toBe('needs_human');
    }
    const undone = w.undos.map((undo) => undo.key);
    expect(new Set(undone).size).toBe(undone.length);
    expect(undone).toHaveLength(ids.length);
  });

  it('E7 T6 the sweeper and a customer message racing on a crashed ticket: it is recovered once', async () => {
    const w = sweeperWorld();
    await w.crashMidTool('SW-4');
    w.hanging.clear();
    const sweeper = w.agentOn(new MemoryTicketStore({ data: w.data }), 'sweeper');
    const customer = w.agentOn(new MemoryTicketStore({ data: w.data }), 'customer-worker');
    const [total, reply] = await Promise.all([
      w.sweepUntil(sweeper, (sum) => sum.recovered > 0, 15),
      customer.handle({ ticketId: 'SW-4', message: 'any news?' }),
    ]);
    expect(reply.ticket.status).not.toBe('executing');
    expect(total.recovered).toBeLessThanOrEqual(1);
    const events = await w.base.events('SW-4');
    expect(events.filter((event) => event.type === 'execution.recovered')).toHaveLength(1);
    const recovered = w.undos.filter((undo) => undo.reason === 'recovered').map((undo) => undo.key);
    expect(new Set(recovered).size).toBe(recovered.length);
  });

  it('E7 recover() leaves a live execution alone and reports it; the worker then finishes normally', async () => {
    const w = sweeperWorld();
    w.hanging.add('pay_out');
    const worker = createAgent({
      store: new MemoryTicketStore({ data: w.data }),
      llm: new MockLLM({ fallback: { intent: 'refund', confidence: 0.95, entities: { amount: 20 } } }),
      intents: w.definitions.intents,
      workflows: w.definitions.workflows,
      instanceId: 'live-worker',
      leaseMs: 2_000,
    });
    const running = worker.handle({ ticketId: 'SW-5', message: 'refund 20' });
    await waitFor(() => w.runs.some((run) => run.tool === 'pay_out'), 5_000, 'pay_out');
    const sweeper = w.agentOn(new MemoryTicketStore({ data: w.data }), 'sweeper');
    const report = await sweeper.recover();
    expect(report.recovered).toBe(0);
    expect(report.live).toBe(1);
    w.release();
    const done = await running;
    expect(done.action).toEqual({ type: 'execute', workflow: 'refund', outcome: 'resolved' });
    expect(w.undos).toEqual([]);
  });

  it('T6 approve and reject racing from two processes, with the sweeper expiring it: exactly one decision wins', async () => {
    const w = sweeperWorld();
    await w.requestApproval('SW-6');
    w.advance(61_000);
    const a = w.agentOn(new MemoryTicketStore({ data: w.data }), 'operator-a');
    const b = w.agentOn(new MemoryTicketStore({ data: w.data }), 'operator-b');
    const c = w.agentOn(new MemoryTicketStore({ data: w.data }), 'sweeper');
    const outcomes = await Promise.allSettled([a.approve('SW-6', { by: 'alice' }), b.reject('SW-6', { by: 'bob' }), c.recover()]);
    const decided = outcomes.slice(0, 2).filter((outcome) => outcome.status === 'fulfilled');
    const expired = outcomes[2]!.status === 'fulfilled' ? outcomes[2]!.value.approvalsExpired : 0;
    expect(decided.length + expired).toBe(1);
    for (const outcome of outcomes.slice(0, 2)) if (outcome.status === 'rejected') expect((outcome.reason as Error).name).toBe('TicketStateError');
    const events = await w.base.events('SW-6');
    const verdicts = events.filter((event) => ['approval.granted', 'approval.rejected', 'approval.expired'].includes(event.type));
    expect(verdicts).toHaveLength(1);
    const payouts = w.runs.filter((run) => run.tool === 'pay_out');
    expect(payouts.length).toBe(verdicts[0]!.type === 'approval.granted' ? 1 : 0);
    expect((await w.base.load('SW-6'))!.ticket.status).not.toBe('executing');
  });

  it('E7 recover({ limit }) is validated', async () => {
    const w = sweeperWorld();
    const sweeper = w.agentOn(w.base, 'sweeper');
    for (const limit of [0, -1, 1.5, 20_000]) {
      const error = await sweeper.recover({ limit }).catch((thrown: unknown) => thrown);
      expect(InvalidArgumentError.isInstance(error), String(limit)).toBe(true);
    }
    await expect(sweeper.recover({ limit: 5 })).resolves.toMatchObject({ recovered: 0 });
  });
});
