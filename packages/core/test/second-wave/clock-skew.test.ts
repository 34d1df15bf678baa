import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigurationError,
  createAgent,
  defineIntent,
  defineSlot,
  defineTool,
  defineWorkflow,
  MemoryStoreData,
  MemoryTicketStore,
  StoreError,
  type AgentOptions,
  type TicketStore,
} from '@ticketflow/core';
import { CrashingTicketStore } from '@ticketflow/core/testing';
import { MockLLM } from '@ticketflow/llm-mock';
import { eventsOf, gate, sleep, waitFor } from './helpers.js';

/**
 * Issue 12.3: leases must not depend on two machines' wall clocks. A worker whose clock is
 * ahead never takes over a live execution (the owner renews its claim, even while a tool or a
 * compensation runs), and a dead worker whose clock was an hour ahead does not freeze its
 * ticket for an hour. Assertions are on counts and events, with generous time bounds.
 */
const HOUR = 3_600_000;

interface Call {
  tool: string;
  key: string;
  reason?: string;
  worker?: string;
}

function slowWorld(options: { leaseMs: number; stepMs: number; undoMs?: number; failLast?: boolean; hangStep?: number; approveLast?: boolean }) {
  const runs: Call[] = [];
  const undos: Call[] = [];
  const item = defineSlot({ name: 'item', schema: z.string().min(1), question: 'Which item?' });
  const purchase = defineIntent({ name: 'purchase', description: 'Buy an item' });
  const hang = gate();
  const step = (name: string, index: number) =>
    defineTool({
      name,
      input: z.object({ item: z.string() }),
      output: z.object({ ok: z.literal(true) }),
      timeoutMs: Math.floor(options.leaseMs * 0.95),
      ...(options.approveLast && index === 2 ? { requiresApproval: true } : {}),
      run: async (_input, context) => {
        runs.push({ tool: name, key: context.idempotencyKey });
        if (options.hangStep === index) await hang.promise;
        await sleep(options.stepMs);
        if (options.failLast && index === 2) throw Object.assign(new Error('out of stock'), { retryable: false });
        return { ok: true as const };
      },
      compensate: async (_input, _output, context) => {
        undos.push({ tool: name, key: context.idempotencyKey, reason: context.reason });
        await sleep(options.undoMs ?? 0);
      },
    });
  const tools = [step('reserve', 0), step('charge', 1), step('ship', 2)];
  const buy = defineWorkflow({
    name: 'buy',
    intent: purchase,
    required: [item],
    tools,
    run: async (context) => {
      for (const tool of tools) await context.call(tool, { item: context.slots.item });
      return { status: 'resolved', reply: 'Shipped.' };
    },
  });
  const data = new MemoryStoreData();
  const base = new MemoryTicketStore({ data });
  const worker = (name: string, extra: Partial<AgentOptions> & { store?: TicketStore } = {}) =>
    createAgent({
      store: extra.store ?? new MemoryTicketStore({ data }),
      llm: new MockLLM({ fallback: { intent: 'purchase', confidence: 0.95, entities: { item: 'router' } } }),
      intents: [purchase],
      workflows: [buy],
      leaseMs: options.leaseMs,
      instanceId: name,
      ...extra,
    });
  /** Each idempotency key ran at most once; each key was compensated at most once per reason. */
  const expectOncePerKey = () => {
    const keys = runs.map((run) => run.key);
    expect(new Set(keys).size, `runs ${JSON.stringify(runs)}`).toBe(keys.length);
    const undone = undos.map((undo) => `${undo.key}/${undo.reason}`);
    expect(new Set(undone).size, `compensations ${JSON.stringify(undos)}`).toBe(undone.length);
  };
  return { runs, undos, base, data, worker, hang, expectOncePerKey };
}

describe('clock skew and slow tools (issue 12.3)', () => {
  for (const [label, offset] of [
    ['31 s ahead', 31_000],
    ['59 min ahead', 59 * 60_000],
    ['31 s behind', -31_000],
    ['59 min behind', -59 * 60_000],
  ] as const) {
    it(`E4 T6 a worker ${label} never takes over a live execution whose tools take 0.8 × the lease`, async () => {
      const leaseMs = 1_000;
      const world = slowWorld({ leaseMs, stepMs: 800 });
      const owner = world.worker('owner');
      const skewed = world.worker('skewed', { now: () => Date.now() + offset, claimWaitMs: 30_000 });
      const first = owner.handle({ ticketId: 'SK-1', message: 'buy a router', messageId: 'm-1' });
      await waitFor(() => world.runs.length === 1, 5_000, 'the first step');
      const [second, sweep] = await Promise.all([skewed.handle({ ticketId: 'SK-1', message: 'where is my order?', messageId: 'm-2' }), skewed.recover()]);
      const done = await first;

      expect(done.action).toEqual({ type: 'execute', workflow: 'buy', outcome: 'resolved' });
      expect(world.runs.map((run) => run.tool)).toEqual(['reserve', 'charge', 'ship']);
      expect(world.undos).toEqual([]);
      world.expectOncePerKey();
      expect(sweep.recovered).toBe(0);
      expect(second.action).toEqual({ type: 'acknowledge' });
      const { events } = await owner.inspect('SK-1');
      expect(eventsOf(events, 'execution.recovery_started')).toEqual([]);
      expect(eventsOf(events, 'execution.recovered')).toEqual([]);
      expect(eventsOf(events, 'execution.completed')).toHaveLength(1);
      // The skewed worker's message was processed after the execution, not beside it.
      const types = events.map((event) => event.type);
      expect(types.lastIndexOf('message.received')).toBeGreaterThan(types.indexOf('execution.completed'));
    });
  }

  for (const stepMs of [10_000, HOUR]) {
    it(`E4 the owner's wall clock stepping back ${stepMs / 1_000} s mid-execution does not pause its heartbeat: no other worker takes over`, async () => {
      const leaseMs = 300;
      const undone: string[] = [];
      let offset = 0;
      const tool = (name: string) =>
        defineTool({
          name,
          input: z.object({}),
          output: z.object({ ok: z.boolean() }),
          run: async () => ({ ok: true }),
          compensate: async () => void undone.push(name),
        });
      const [reserve, charge] = [tool('reserve'), tool('charge')];
      const book = defineIntent({ name: 'book', description: 'Book a thing' });
      const booking = defineWorkflow({
        name: 'booking',
        intent: book,
        tools: [reserve, charge],
        run: async (context) => {
          await context.call(reserve, {});
          offset = -stepMs; // an NTP step on the owner's machine
          await sleep(3 * leaseMs); // plain code between calls, well inside executionTimeoutMs (8 leases)
          await context.call(charge, {});
          return { status: 'resolved', reply: 'Booked.' };
        },
      });
      const data = new MemoryStoreData();
      const worker = (instanceId: string, now?: () => number) =>
        createAgent({
          store: new MemoryTicketStore({ data }),
          llm: new MockLLM({ fallback: { intent: 'book', confidence: 0.95 } }),
          intents: [book],
          workflows: [booking],
          leaseMs,
          instanceId,
          ...(now ? { now } : {}),
        });
      const owner = worker('owner', () => Date.now() + offset);
      const sweeper = worker('sweeper');
      const turn = owner.handle({ ticketId: 'SK-step', message: 'book it', messageId: 'm-1' });
      let recovered = 0;
      let settled = false;
      void turn.finally(() => (settled = true));
      while (!settled) {
        recovered += (await sweeper.recover()).recovered;
        await sleep(25);
      }
      expect((await turn).action).toEqual({ type: 'execute', workflow: 'booking', outcome: 'resolved' });
      expect(recovered).toBe(0);
      expect(undone).toEqual([]);
      expect(eventsOf((await sweeper.inspect('SK-step')).events, 'execution.recovery_started')).toEqual([]);
    });
  }

  it('E3 E4 the claim is renewed while slow compensations run: a worker 31 s ahead does not take over a rollback', async () => {
    const leaseMs = 900;
    // Three compensations of 0.5 × lease each: 1.5 leases without a journal write of their own.
    const world = slowWorld({ leaseMs, stepMs: 10, undoMs: 450, failLast: true });
    const owner = world.worker('owner');
    // Its LLM finds no intent in "hello?": the failed purchase is not retried by that message.
    const skewed = world.worker('skewed', {
      now: () => Date.now() + 31_000,
      claimWaitMs: 30_000,
      llm: new MockLLM({ fallback: { intent: null, confidence: 0.1 } }),
    });
    const first = owner.handle({ ticketId: 'SK-2', message: 'buy a router' });
    await waitFor(() => world.undos.length === 1, 5_000, 'the first compensation');
    const second = skewed.handle({ ticketId: 'SK-2', message: 'hello?' });
    const [done] = await Promise.all([first, second]);
    expect(done.action).toMatchObject({ type: 'execute', outcome: 'failed' });
    expect(world.undos.map((undo) => `${undo.tool}:${undo.reason}`)).toEqual(['ship:failed', 'charge:failed', 'reserve:failed']);
    world.expectOncePerKey();
    const { events } = await owner.inspect('SK-2');
    expect(eventsOf(events, 'execution.recovery_started')).toEqual([]);
    expect(eventsOf(events, 'execution.failed')).toHaveLength(1);
  });

  it('E3 E4 a rejection whose compensations outlast the lease renews its claim: a worker 31 s ahead waits instead of recovering it again', async () => {
    const leaseMs = 900;
    const world = slowWorld({ leaseMs, stepMs: 10, undoMs: 600, approveLast: true });
    const owner = world.worker('owner');
    const paused = await owner.handle({ ticketId: 'SK-8', message: 'buy a router' });
    expect(paused.action).toMatchObject({ outcome: 'awaiting_approval' });
    const skewed = world.worker('skewed', {
      now: () => Date.now() + 31_000,
      claimWaitMs: 30_000,
      llm: new MockLLM({ fallback: { intent: null, confidence: 0.1 } }),
    });
    const rejecting = owner.reject('SK-8', { by: 'supervisor-1' });
    await waitFor(() => world.undos.length === 1, 5_000, 'the first compensation');
    const [rejected, next] = await Promise.all([rejecting, skewed.handle({ ticketId: 'SK-8', message: 'hello?' })]);
    expect(rejected.action).toEqual({ type: 'cancelled', workflow: 'buy', reason: 'rejected' });
    expect(world.undos.map((undo) => `${undo.tool}:${undo.reason}`)).toEqual(['charge:rejected', 'reserve:rejected']);
    // Its message came after the rejection: it reopens the closed conversation.
    expect(next.ticket.status).toBe('open');
    const { events } = await owner.inspect('SK-8');
    expect(eventsOf(events, 'execution.recovery_started')).toEqual([]);
  });

  it('E4 E7 the sweeper renews its claim while slow recovery compensations run: a second sweeper does not recover the ticket again', async () => {
    const leaseMs = 900;
    const world = slowWorld({ leaseMs, stepMs: 10, undoMs: 450, hangStep: 2 });
    const crashing = new CrashingTicketStore(world.base, { atWrite: 1_000, point: 'before-write' });
    void world.worker('dead', { store: crashing }).handle({ ticketId: 'SK-3', message: 'buy a router' });
    await waitFor(() => world.runs.length === 3, 5_000, 'the third step');
    crashing.crash();
    const firstSweeper = world.worker('sweeper-1');
    const secondSweeper = world.worker('sweeper-2', { now: () => Date.now() + 31_000 });
    const deadline = Date.now() + 15_000;
    // The first sweeper sweeps (as an interval would) until it has recovered the ticket.
    let firstDone = false;
    const firstLoop = (async () => {
      let recovered = 0;
      while (recovered === 0 && Date.now() < deadline) {
        recovered += (await firstSweeper.recover()).recovered;
        if ((await world.base.load('SK-3'))?.ticket.status !== 'executing') break;
        if (recovered === 0) await sleep(leaseMs / 3);
      }
      firstDone = true;
      return recovered;
    })();
    await waitFor(() => world.undos.some((undo) => undo.reason === 'recovered'), 15_000, 'the recovery to start');
    // While it compensates (3 × 450 ms > one lease), a second sweeper sweeps again and again.
    const second: number[] = [];
    while (!firstDone) {
      second.push((await secondSweeper.recover()).recovered);
      await sleep(20);
    }
    expect(await firstLoop).toBe(1);
    world.hang.open();
    const recovered = world.undos.filter((undo) => undo.reason === 'recovered');
    expect(recovered.map((undo) => undo.tool)).toEqual(['ship', 'charge', 'reserve']);
    world.expectOncePerKey();
    expect(second.reduce((sum, count) => sum + count, 0)).toBe(0);
    const { events } = await firstSweeper.inspect('SK-3');
    expect(eventsOf(events, 'execution.recovery_started')).toHaveLength(1);
    expect(eventsOf(events, 'execution.recovered')).toHaveLength(1);
  });

  it('E4 a worker 1 h ahead that dies mid-tool does not freeze its ticket: a normal worker recovers it after watching about one lease', async () => {
    const leaseMs = 500;
    const world = slowWorld({ leaseMs, stepMs: 5, hangStep: 1 });
    const crashing = new CrashingTicketStore(world.base, { atWrite: 1_000, point: 'before-write' });
    void world.worker('ahead', { store: crashing, now: () => Date.now() + HOUR }).handle({ ticketId: 'SK-4', message: 'buy a router', messageId: 'm-1' });
    await waitFor(() => world.runs.length === 2, 5_000, 'the second step');
    crashing.crash();
    const normal = world.worker('normal', { llm: new MockLLM({ fallback: { intent: null, confidence: 0.1 } }) });
    const next = await normal.handle({ ticketId: 'SK-4', message: 'hello, anyone?', messageId: 'm-2' });
    world.hang.open();
    expect(next.ticket.status).not.toBe('executing');
    const { events } = await normal.inspect('SK-4');
    const recovery = eventsOf(events, 'execution.recovery_started');
    expect(recovery).toHaveLength(1);
    // It watched the claim for about one lease of its own time — not for an hour.
    expect(recovery[0]!.data.observedMs).not.toBeNull();
    expect(recovery[0]!.data.observedMs!).toBeGreaterThanOrEqual(leaseMs);
    expect(recovery[0]!.data.observedMs!).toBeLessThan(leaseMs * 10);
    expect(world.undos.filter((undo) => undo.reason === 'recovered').map((undo) => undo.tool)).toEqual(['charge', 'reserve']);
    expect(eventsOf(events, 'execution.recovered')).toHaveLength(1);
  });

  it('E4 E7 a worker 1 h ahead that dies mid-tool: the sweeper of a normal worker recovers it within a few sweeps', async () => {
    const leaseMs = 400;
    const world = slowWorld({ leaseMs, stepMs: 5, hangStep: 0 });
    const crashing = new CrashingTicketStore(world.base, { atWrite: 1_000, point: 'before-write' });
    void world.worker('ahead', { store: crashing, now: () => Date.now() + HOUR }).handle({ ticketId: 'SK-5', message: 'buy a router' });
    await waitFor(() => world.runs.length === 1, 5_000, 'the first step');
    crashing.crash();
    const sweeper = world.worker('normal');
    let recovered = 0;
    let sweeps = 0;
    while (recovered === 0 && sweeps < 30) {
      sweeps += 1;
      recovered += (await sweeper.recover()).recovered;
      if (recovered === 0) await sleep(leaseMs / 2);
    }
    world.hang.open();
    expect(recovered).toBe(1);
    expect(sweeps).toBeLessThanOrEqual(10);
    const ticket = await sweeper.getTicket('SK-5');
    expect(ticket?.status).not.toBe('executing');
    expect(ticket?.execution).toBeNull();
  });

  it('E4 maxClockSkewMs: a claim lapsed longer ago than twice the tolerated skew plus a lease is taken over at once, without watching', async () => {
    const leaseMs = 20_000;
    const world = slowWorld({ leaseMs, stepMs: 5, hangStep: 0 });
    const crashing = new CrashingTicketStore(world.base, { atWrite: 1_000, point: 'before-write' });
    void world.worker('dead', { store: crashing }).handle({ ticketId: 'SK-6', message: 'buy a router' });
    await waitFor(() => world.runs.length === 1, 5_000, 'the first step');
    crashing.crash();
    // Its clock says the 20 s lease lapsed 40 s ago: more than 2 × 5 s of skew plus the 20 s lease.
    const later = world.worker('later', {
      now: () => Date.now() + 60_000,
      maxClockSkewMs: 5_000,
      claimWaitMs: 2_000,
      llm: new MockLLM({ fallback: { intent: null, confidence: 0.1 } }),
    });
    const next = await later.handle({ ticketId: 'SK-6', message: 'hello?' });
    world.hang.open();
    expect(next.ticket.status).not.toBe('executing');
    const { events } = await later.inspect('SK-6');
    const recovery = eventsOf(events, 'execution.recovery_started');
    expect(recovery).toHaveLength(1);
    expect(recovery[0]!.data.observedMs).toBeNull();
  });

  it('E4 without the fast path (default maxClockSkewMs of 1 h) the same worker watches first: a short claimWaitMs gives up with conflict, nothing taken over', async () => {
    const leaseMs = 20_000;
    const world = slowWorld({ leaseMs, stepMs: 5, hangStep: 0 });
    const crashing = new CrashingTicketStore(world.base, { atWrite: 1_000, point: 'before-write' });
    void world.worker('dead', { store: crashing }).handle({ ticketId: 'SK-7', message: 'buy a router' });
    await waitFor(() => world.runs.length === 1, 5_000, 'the first step');
    crashing.crash();
    const before = await world.base.load('SK-7');
    const later = world.worker('later', { now: () => Date.now() + 60_000, claimWaitMs: 300 });
    const error = await later.handle({ ticketId: 'SK-7', message: 'hello?' }).catch((thrown: unknown) => thrown);
    world.hang.open();
    expect(StoreError.isInstance(error)).toBe(true);
    expect((error as StoreError).kind).toBe('conflict');
    expect((error as StoreError).outcome).toBe('not_applied');
    const after = await world.base.load('SK-7');
    expect(after?.version).toBe(before?.version);
    expect(world.undos).toEqual([]);
  });

  it('E5 a tool whose budget (timeout × attempts + backoff) exceeds the lease is a ConfigurationError naming the tool', () => {
    const item = defineSlot({ name: 'item', schema: z.string(), question: 'Which item?' });
    const purchase = defineIntent({ name: 'purchase', description: 'Buy an item' });
    const tool = (name: string, timeoutMs: number, retries: number) =>
      defineTool({ name, input: z.object({}), output: z.object({}), timeoutMs, retries, run: () => ({}) });
    const tooSlow = tool('too_slow', 6_000, 0);
    const tooManyRetries = tool('too_many_retries', 1_000, 2);
    const fits = tool('fits', 1_000, 1);
    const workflow = defineWorkflow({
      name: 'buy',
      intent: purchase,
      required: [item],
      tools: [tooSlow, tooManyRetries, fits],
      run: () => ({ status: 'resolved', reply: 'ok' }),
    });
    const build = (leaseMs: number) => () =>
      createAgent({
        store: new MemoryTicketStore(),
        llm: new MockLLM(),
        intents: [purchase],
        workflows: [workflow],
        leaseMs,
        toolRetry: { minDelayMs: 100, maxDelayMs: 2_000 },
      });
    let error: unknown;
    try {
      build(5_000)();
    } catch (thrown) {
      error = thrown;
    }
    expect(ConfigurationError.isInstance(error)).toBe(true);
    const issues = (error as ConfigurationError).issues.join('\n');
    expect(issues).toContain('too_slow');
    // 1 000 × 3 attempts + 2 × 2 000 backoff = 7 000 > 5 000
    expect(issues).toContain('too_many_retries');
    expect(issues).not.toContain('"fits"');
    expect(build(8_000)).not.toThrow();
  });

  it('E5 a tool with the default timeout gets a deadline shortened to fit the lease: a hanging call fails within the lease', async () => {
    const item = defineSlot({ name: 'item', schema: z.string(), question: 'Which item?' });
    const purchase = defineIntent({ name: 'purchase', description: 'Buy an item' });
    let aborted = false;
    const hangs = defineTool({
      name: 'hangs',
      input: z.object({}),
      output: z.object({}),
      run: (_input, context) => new Promise<Record<string, never>>(() => context.signal.addEventListener('abort', () => (aborted = true))),
    });
    const workflow = defineWorkflow({
      name: 'buy',
      intent: purchase,
      required: [item],
      tools: [hangs],
      run: async (context) => (await context.call(hangs, {}), { status: 'resolved', reply: 'ok' }),
    });
    const agent = createAgent({
      store: new MemoryTicketStore(),
      llm: new MockLLM({ fallback: { intent: 'purchase', confidence: 0.9, entities: { item: 'x' } } }),
      intents: [purchase],
      workflows: [workflow],
      leaseMs: 400,
    });
    const result = await agent.handle({ ticketId: 'TO-1', message: 'buy' });
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'failed' });
    expect(aborted).toBe(true);
    const { events } = await agent.inspect('TO-1');
    const failed = eventsOf(events, 'step.failed')[0]!;
    expect(failed.data.error).toMatch(/did not finish within \d+ ms/);
    expect(Number(/within (\d+) ms/.exec(failed.data.error)![1])).toBeLessThanOrEqual(400);
  });
});
