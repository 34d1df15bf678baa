import { describe, expect, it } from 'vitest';
import { MemoryStoreData, MemoryTicketStore, TicketStateError } from '@ticketflow/core';
import { createHarness } from '../support/agent-harness.js';
import { pausableStore } from '../support/pausable-store.js';
import { gate, waitFor } from './helpers.js';

/**
 * P3 and T2 (issue 15.4): `agent.erase` removes a ticket and its events; a turn in flight at
 * that moment never re-creates it (it ends with a typed outcome), an execution in flight undoes
 * its steps, erasing an unknown ticket is a no-op, and the next message starts a fresh ticket.
 */
const fiberDown = { intent: 'no_internet', confidence: 0.95, entities: { service_type: 'fiber', region: 'Hamburg' } };

describe('erasure in flight (P3, T2)', () => {
  it('P3 T2 erase while the turn is deciding: the turn resolves with action erased and the ticket is not re-created', async () => {
    const { agent, llm, store } = createHarness({ llmTimeoutMs: 5_000 });
    llm.enqueue({ intent: 'no_internet', confidence: 0.9 });
    await agent.handle({ ticketId: 'E-1', message: 'my internet is down, my e-mail is jane@example.com' });
    const calls = llm.callCount;
    llm.enqueue({ delayMs: 300, then: { intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber' } } });
    const inFlight = agent.handle({ ticketId: 'E-1', message: 'it is fiber', messageId: 'm-2' });
    await waitFor(() => llm.callCount > calls, 2_000, 'the LLM call');
    await agent.erase('E-1');
    const result = await inFlight;
    expect(result.action).toEqual({ type: 'erased' });
    expect(result.duplicate).toBe(false);
    expect(await store.load('E-1')).toBeNull();
    expect(await store.events('E-1')).toEqual([]);
    expect(await agent.getTicket('E-1')).toBeNull();
  });

  it('P3 E3 erase while a tool runs: the steps already run are compensated and the ticket stays gone', async () => {
    const { agent, llm, store, backend } = createHarness({ leaseMs: 5_000 });
    const held = gate();
    const run = backend.run.bind(backend);
    backend.run = (async (tool: string, key: string, input: unknown, result: () => unknown) => {
      const output = await run(tool, key, input, result);
      if (tool === 'reset_modem') await held.promise;
      return output;
    }) as typeof backend.run;
    llm.enqueue({ intent: 'no_internet', confidence: 0.9 });
    await agent.handle({ ticketId: 'E-2', message: 'internet down' });
    llm.enqueue({ intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber', region: 'Hamburg' } });
    const inFlight = agent.handle({ ticketId: 'E-2', message: 'fiber, Hamburg' });
    await waitFor(() => backend.runs.some((entry) => entry.tool === 'reset_modem'), 2_000, 'the modem reset');
    await agent.erase('E-2');
    held.open();
    const result = await inFlight;
    expect(result.action.type === 'erased' || (result.action.type === 'execute' && result.action.outcome === 'failed')).toBe(true);
    expect(backend.undos.map((undo) => undo.tool)).toEqual(['reset_modem']);
    expect(backend.live().filter((effect) => effect.tool === 'reset_modem')).toEqual([]);
    expect(await store.load('E-2')).toBeNull();
    expect(await store.events('E-2')).toEqual([]);
  });

  it('P3 E4 erasing a ticket another worker is executing (stopped mid-tool, lease not yet out) compensates its started calls first', async () => {
    const data = new MemoryStoreData();
    const stopped = createHarness({ store: new MemoryTicketStore({ data }), leaseMs: 5_000 });
    const eraser = createHarness({ store: new MemoryTicketStore({ data }), leaseMs: 5_000 });
    const never = gate();
    const run = stopped.backend.run.bind(stopped.backend);
    stopped.backend.run = (async (tool: string, key: string, input: unknown, result: () => unknown) => {
      const output = await run(tool, key, input, result);
      if (tool === 'reset_modem') await never.promise; // the worker stops here: it never writes again
      return output;
    }) as typeof stopped.backend.run;
    stopped.llm.enqueue(fiberDown);
    void stopped.agent.handle({ ticketId: 'E-8', message: 'fiber down in Hamburg' }).catch(() => null);
    await waitFor(() => stopped.backend.runs.length === 2, 2_000, 'the modem reset');
    const started = stopped.backend.runs[1]!;
    const erasing = Date.now();
    await eraser.agent.erase('E-8');
    expect(Date.now() - erasing).toBeLessThan(2_500);
    expect(eraser.backend.undos).toEqual([{ tool: 'reset_modem', key: started.key }]);
    expect(await eraser.store.load('E-8')).toBeNull();
    expect(await eraser.store.events('E-8')).toEqual([]);
    expect((await eraser.agent.recover()).recovered).toBe(0);
    never.open();
  });

  it('P3 erase of the ticket whose first message is executing: compensated, gone, and not re-created by the final write', async () => {
    const { agent, llm, store, backend } = createHarness({ leaseMs: 5_000 });
    const held = gate();
    const run = backend.run.bind(backend);
    backend.run = (async (tool: string, key: string, input: unknown, result: () => unknown) => {
      const output = await run(tool, key, input, result);
      if (tool === 'check_outage') await held.promise;
      return output;
    }) as typeof backend.run;
    llm.enqueue(fiberDown);
    const inFlight = agent.handle({ ticketId: 'E-3', message: 'fiber down in Hamburg' });
    await waitFor(() => backend.runs.length === 1, 2_000, 'the outage check');
    expect(await store.load('E-3')).not.toBeNull();
    await agent.erase('E-3');
    held.open();
    await inFlight;
    expect(backend.runs.map((entry) => entry.tool)).toEqual(['check_outage']);
    expect(await store.load('E-3')).toBeNull();
    expect(await store.events('E-3')).toEqual([]);
  });

  it('P3 T3 a turn whose commit is in flight when the ticket is erased does not re-create it', async () => {
    const inner = new MemoryTicketStore();
    const paused = pausableStore(inner);
    const { agent, llm } = createHarness({ store: paused.store });
    llm.enqueue({ intent: 'no_internet', confidence: 0.9 });
    await agent.handle({ ticketId: 'E-4', message: 'internet down' });
    paused.pause();
    llm.enqueue({ intent: 'no_internet', confidence: 0.9, entities: { service_type: 'dsl' } });
    const inFlight = agent.handle({ ticketId: 'E-4', message: 'it is DSL' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await agent.erase('E-4');
    paused.resume();
    const result = await inFlight;
    expect(result.action).toEqual({ type: 'erased' });
    expect(await inner.load('E-4')).toBeNull();
    expect(await inner.events('E-4')).toEqual([]);
  });

  it('P3 a turn in flight when the ticket is erased and a new ticket of that id begins elsewhere does not land in the new ticket', async () => {
    const data = new MemoryStoreData();
    const first = createHarness({ store: new MemoryTicketStore({ data }), llmTimeoutMs: 5_000 });
    const second = createHarness({ store: new MemoryTicketStore({ data }) });
    first.llm.enqueue({ intent: 'no_internet', confidence: 0.9 });
    await first.agent.handle({ ticketId: 'E-7', message: 'internet down (old conversation)' });
    const calls = first.llm.callCount;
    first.llm.enqueue({ delayMs: 300, then: { intent: 'no_internet', confidence: 0.9, entities: { service_type: 'dsl' } } });
    const inFlight = first.agent.handle({ ticketId: 'E-7', message: 'it is DSL (old conversation)' });
    await waitFor(() => first.llm.callCount > calls, 2_000, 'the LLM call');
    await second.agent.erase('E-7');
    second.llm.enqueue({ intent: 'billing_dispute', confidence: 0.9 });
    await second.agent.handle({ ticketId: 'E-7', message: 'a new conversation about my bill' });
    const result = await inFlight;
    expect(result.action).toEqual({ type: 'erased' });
    const events = await new MemoryTicketStore({ data }).events('E-7');
    const texts = events.filter((event) => event.type === 'message.received').map((event) => event.data?.text);
    expect(texts).toEqual(['a new conversation about my bill']);
    const ticket = await second.agent.getTicket('E-7');
    expect(ticket?.transcript.filter((entry) => entry.role === 'user').map((entry) => entry.text)).toEqual(['a new conversation about my bill']);
  });

  it('P3 erasing an unknown ticket is a no-op (twice), and creates nothing', async () => {
    const { agent, store } = createHarness();
    await expect(agent.erase('never-seen')).resolves.toBeUndefined();
    await expect(agent.erase('never-seen')).resolves.toBeUndefined();
    expect(await store.load('never-seen')).toBeNull();
    expect((await agent.list({})).tickets.map((ticket) => ticket.ticketId)).not.toContain('never-seen');
  });

  it('P3 T2 the next message after an erase starts a fresh ticket: turn 1, no old slots, transcript or events', async () => {
    const { agent, llm, store } = createHarness();
    llm.enqueue(fiberDown);
    await agent.handle({ ticketId: 'E-5', message: 'fiber down in Hamburg, call me at +49 30 1234567', messageId: 'm-1' });
    await agent.erase('E-5');
    llm.enqueue({ intent: 'billing_dispute', confidence: 0.9 });
    const fresh = await agent.handle({ ticketId: 'E-5', message: 'a question about my bill', messageId: 'm-1' });
    expect(fresh.duplicate).toBe(false);
    expect(fresh.ticket.turn).toBe(1);
    expect(fresh.ticket.intent).toBe('billing_dispute');
    expect(Object.keys(fresh.ticket.slots)).toEqual([]);
    expect(fresh.ticket.transcript.filter((entry) => entry.role === 'user').map((entry) => entry.text)).toEqual(['a question about my bill']);
    const events = await store.events('E-5');
    expect(events[0]!.seq).toBe(1);
    expect(events.filter((event) => event.type === 'message.received')).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain('Hamburg');
  });

  it('P3 erasing a ticket that waits for approval: it is gone, approve says so, and a message starts afresh', async () => {
    const { agent, llm, backend } = createHarness();
    llm.enqueue(
      { intent: 'billing_dispute', confidence: 0.9, entities: { account_type: 'business', amount: 80 } },
      { intent: null, confidence: 0.2, entities: { confirm: true } },
    );
    await agent.handle({ ticketId: 'E-6', message: 'refund 80' });
    const paused = await agent.handle({ ticketId: 'E-6', message: 'yes' });
    expect(paused.ticket.status).toBe('awaiting_approval');
    await agent.erase('E-6');
    const error = await agent.approve('E-6', { by: 'supervisor-1' }).catch((thrown: unknown) => thrown);
    expect(TicketStateError.isInstance(error)).toBe(true);
    expect(backend.runs).toEqual([]);
    llm.enqueue({ intent: 'no_internet', confidence: 0.9 });
    const fresh = await agent.handle({ ticketId: 'E-6', message: 'hello again' });
    expect(fresh.ticket.turn).toBe(1);
    expect(fresh.ticket.status).not.toBe('awaiting_approval');
  });
});
