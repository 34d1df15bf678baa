import { describe, expect, it } from 'vitest';
import { createAgent, MemoryStoreData, MemoryTicketStore, type TicketStore } from '@ticketflow/core';
import { CrashingTicketStore, type CrashPoint } from '@ticketflow/core/testing';
import { MockLLM } from '@ticketflow/llm-mock';
import { crashWorld } from './support/crash-world.js';
import { createSagaDomain } from './support/saga-domain.js';
import { pausableStore } from './support/pausable-store.js';
import { assertGapFree, completedExecutionTurns, turnOfKey } from './support/history.js';

const buyDecision = { intent: 'purchase', confidence: 0.95, entities: { item: 'router', quantity: 2 } };
const LEASE = 1_000;

function world(toolTimeoutMs = 200) {
  return crashWorld({ leaseMs: LEASE, toolTimeoutMs });
}

/** The invariants every history must satisfy after recovery. */
async function checkHistory(base: MemoryTicketStore, ticketId: string, domain: ReturnType<typeof createSagaDomain>, messageId: string) {
  const loaded = await base.load(ticketId);
  expect(loaded).not.toBeNull();
  expect(loaded!.ticket.execution).toBeNull();
  expect(loaded!.ticket.status).not.toBe('executing');
  const events = await base.events(ticketId);
  assertGapFree(events);
  const completed = completedExecutionTurns(events);
  for (const effect of domain.backend.effects.values()) {
    expect(effect.undone, `${effect.key} live=${!effect.undone} completed=${[...completed]}`).toBe(!completed.has(turnOfKey(effect.key)));
  }
  const keys = domain.keys.map((entry) => entry.key);
  expect(new Set(keys).size).toBe(keys.length);
  expect(loaded!.ticket.transcript.filter((entry) => entry.role === 'user' && entry.messageId === messageId)).toHaveLength(1);
  expect(loaded!.ticket.processed.filter((entry) => entry.messageId === messageId)).toHaveLength(1);
}

describe('executor: crash recovery', () => {
  // An executing turn of the three-step workflow writes 4 times: checkpoint with step 1
  // started, step 2 started, step 3 started, result.
  const writes = [1, 2, 3, 4];
  const points: CrashPoint[] = ['before-write', 'after-write'];
  for (const atWrite of writes) {
    for (const point of points) {
      it(`E4 T7 a crash ${point} ${atWrite} of an executing turn leaves the ticket loadable; a fresh agent recovers and the retried message runs once`, async () => {
        const { domain, base, agentOn } = world();
        const crashing = new CrashingTicketStore(base, { atWrite, point });
        void agentOn(crashing, 'worker-a').handle({ ticketId: 'T-crash', message: 'buy 2 routers', messageId: 'm-1' });
        await crashing.crashed;
        const restarted = agentOn(base, 'worker-b', LEASE + 10);
        expect(await restarted.getTicket('T-crash').then((ticket) => ticket === null || typeof ticket.version === 'number')).toBe(true);
        const retried = await restarted.handle({ ticketId: 'T-crash', message: 'buy 2 routers', messageId: 'm-1' });
        expect(retried.action).toEqual({ type: 'execute', workflow: 'buy', outcome: 'resolved' });
        await checkHistory(base, 'T-crash', domain, 'm-1');
        const events = await base.events('T-crash');
        const interrupted = atWrite > 1 || point === 'after-write';
        const finished = atWrite === 4 && point === 'after-write';
        expect(events.some((event) => event.type === 'execution.recovered')).toBe(interrupted && !finished);
      });
    }
  }

  it.each([0, 1, 2])('E4 a crash while step %i runs: recovery compensates it with an unknown outcome, and the steps before it', async (hangingStep) => {
    const { domain, base, agentOn } = world(LEASE);
    const tool = ['reserve', 'charge', 'ship'][hangingStep]!;
    domain.backend.failTool(tool, 'hang');
    const crashing = new CrashingTicketStore(base, { atWrite: 99, point: 'before-write' });
    void agentOn(crashing, 'worker-a').handle({ ticketId: 'T-tool', message: 'buy', messageId: 'm-1' });
    while (!domain.order.includes(`run:${tool}`)) await new Promise((resolve) => setTimeout(resolve, 2));
    crashing.crash();
    domain.backend.clearFailures();
    // Its clock reads the lease as lapsed by more than one lease: taken over at once (the
    // fast path), before the stalled worker's own tool timeout would have it undo its steps.
    const restarted = agentOn(base, 'worker-b', 2 * LEASE + 10);
    await restarted.handle({ ticketId: 'T-tool', message: 'how is it going?', messageId: 'm-2' });
    const undone = domain.order.filter((entry) => entry.startsWith('undo:'));
    const expected = ['reserve', 'charge', 'ship']
      .slice(0, hangingStep + 1)
      .reverse()
      .map((name, index) => `undo:${name}:${index === 0 ? 'unknown' : 'known'}`);
    expect(undone).toEqual(expected);
    const ticket = await restarted.getTicket('T-tool');
    expect(ticket?.execution).toBeNull();
    expect(ticket?.transcript.find((entry) => entry.messageId === 'm-1')).toMatchObject({ actedOn: false });
  });

  it('E4 T6 a second worker arriving during a live lease waits for it instead of running beside it', async () => {
    const domain = createSagaDomain({ timeoutMs: 2_000 });
    const data = new MemoryStoreData();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = domain.backend.run.bind(domain.backend);
    domain.backend.run = (async (tool: string, key: string, input: unknown, result: () => unknown) => {
      if (tool === 'charge') await gate;
      return original(tool, key, input, result);
    }) as typeof domain.backend.run;
    const make = (instanceId: string) =>
      createAgent({
        store: new MemoryTicketStore({ data }),
        llm: new MockLLM({ fallback: buyDecision }),
        intents: domain.intents,
        workflows: domain.workflows,
        leaseMs: 5_000,
        instanceId,
      });
    const first = make('worker-a').handle({ ticketId: 'T-live', message: 'buy' });
    while (!domain.order.includes('run:charge')) await new Promise((resolve) => setTimeout(resolve, 2));
    const second = make('worker-b').handle({ ticketId: 'T-live', message: 'anything new?' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(domain.order).toEqual(['run:reserve', 'run:charge']);
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(a.action).toMatchObject({ outcome: 'resolved' });
    expect(b.action).toEqual({ type: 'acknowledge' });
    const events = await new MemoryTicketStore({ data }).events('T-live');
    const completedAt = events.findIndex((event) => event.type === 'execution.completed');
    const secondMessage = events.findIndex((event) => event.type === 'message.received' && event.data?.text === 'anything new?');
    expect(secondMessage).toBeGreaterThan(completedAt);
  });
});

describe('executor: a store that loses its memory mid-execution', () => {
  it('T2 E3 compensates the steps already run when the ticket vanishes, and the next message starts cleanly', async () => {
    const domain = createSagaDomain({ timeoutMs: 2_000 });
    const store = new MemoryTicketStore();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = domain.backend.run.bind(domain.backend);
    domain.backend.run = (async (tool: string, key: string, input: unknown, result: () => unknown) => {
      const output = await original(tool, key, input, result);
      if (tool === 'reserve') await gate;
      return output;
    }) as typeof domain.backend.run;
    const agent = createAgent({ store, llm: new MockLLM({ fallback: buyDecision }), intents: domain.intents, workflows: domain.workflows });
    const pending = agent.handle({ ticketId: 'T-flush', message: 'buy' });
    while (!domain.order.includes('run:reserve')) await new Promise((resolve) => setTimeout(resolve, 2));
    await store.delete('T-flush');
    release();
    const result = await pending;
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'failed', reason: 'claim_lost' });
    expect(domain.backend.live()).toEqual([]);
    expect(domain.order).toEqual(['run:reserve', 'undo:reserve:known']);
    const next = await agent.handle({ ticketId: 'T-flush', message: 'buy' });
    expect(next.ticket.version).toBeGreaterThan(0);
    expect(next.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
  });
});

describe('executor: a worker frozen past its lease in the middle of a tool call', () => {
  it('E4 undoes its late effect when it wakes up and finds its claim taken over', async () => {
    const domain = createSagaDomain({ timeoutMs: 4_000 });
    const data = new MemoryStoreData();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = domain.backend.run.bind(domain.backend);
    domain.backend.run = (async (tool: string, key: string, input: unknown, result: () => unknown) => {
      if (tool === 'charge') await gate; // the worker is frozen before the call takes effect
      return original(tool, key, input, result);
    }) as typeof domain.backend.run;
    const frozen = pausableStore(new MemoryTicketStore({ data }));
    const make = (store: TicketStore, instanceId: string, decision: typeof buyDecision | { intent: null; confidence: number }, clockOffset = 0) =>
      createAgent({
        store,
        llm: new MockLLM({ fallback: decision }),
        intents: domain.intents,
        workflows: domain.workflows,
        leaseMs: 5_000,
        instanceId,
        now: () => Date.now() + clockOffset,
        maxClockSkewMs: 0,
      });
    const paused = make(frozen.store, 'frozen', buyDecision).handle({ ticketId: 'T-zombie', message: 'buy', messageId: 'm-1' });
    while (!domain.order.includes('run:charge')) await new Promise((resolve) => setTimeout(resolve, 2));
    frozen.pause(); // no renewal reaches the store any more: the process is as good as stopped
    const rescue = await make(new MemoryTicketStore({ data }), 'rescuer', { intent: null, confidence: 0 }, 6_000).handle({
      ticketId: 'T-zombie',
      message: 'status?',
      messageId: 'm-2',
    });
    expect(rescue.action).toEqual({ type: 'acknowledge' });
    release(); // the frozen call takes effect late...
    await new Promise((resolve) => setTimeout(resolve, 20));
    frozen.resume(); // ...and the worker wakes up to a claim that is no longer its own
    const late = await paused;
    expect(late.action).toMatchObject({ type: 'execute', outcome: 'failed', reason: 'claim_lost' });
    expect(domain.backend.live()).toEqual([]);
    const events = await new MemoryTicketStore({ data }).events('T-zombie');
    expect(events.some((event) => event.type === 'execution.recovered')).toBe(true);
  });
});
