import { describe, expect, it } from 'vitest';
import { createAgent, InvalidArgumentError, MemoryStoreData, MemoryTicketStore, StoreError } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { createHarness } from '../support/agent-harness.js';
import { createTestDomain } from '../support/test-domain.js';
import { recordingStore } from './helpers.js';

/**
 * Issue 12.9, T7 without a window: a `messageId` is processed once however many messages came
 * in between; the same id with another text is refused and changes nothing; a turn that does
 * not execute still costs one load and one commit.
 */
const fiberDown = { intent: 'no_internet', confidence: 0.95, entities: { service_type: 'fiber', region: 'Hamburg' } };

async function tenMessages(messageIdWindow = 3) {
  const recording = recordingStore();
  const harness = createHarness({ store: recording.store, messageIdWindow, mock: { fallback: { intent: null, confidence: 0.2 } } });
  harness.llm.enqueue(fiberDown);
  const first = await harness.agent.handle({ ticketId: 'T7-1', message: 'my fiber is down in Hamburg', messageId: 'm-1' });
  for (let index = 2; index <= 10; index += 1) await harness.agent.handle({ ticketId: 'T7-1', message: `message number ${index}`, messageId: `m-${index}` });
  return { ...harness, recording, first };
}

describe('T7 without a window (issue 12.9)', () => {
  it('T7 with messageIdWindow 3, after 10 messages a resend of the first returns the recorded result and runs no tool', async () => {
    const { agent, backend, recording, first } = await tenMessages();
    expect(first.action).toEqual({ type: 'execute', workflow: 'fiber_troubleshoot', outcome: 'resolved' });
    const runs = backend.runs.length;
    expect(runs).toBe(2);
    const before = await agent.inspect('T7-1');
    expect((await recording.inner.load('T7-1'))!.ticket.processed).toHaveLength(3);
    recording.reset();

    const again = await agent.handle({ ticketId: 'T7-1', message: 'my fiber is down in Hamburg', messageId: 'm-1' });
    expect(again.duplicate).toBe(true);
    expect(again.action).toEqual(first.action);
    expect(again.reply).toBe(first.reply);
    expect(again.decision).toEqual(first.decision);
    expect(backend.runs).toHaveLength(runs);
    expect(recording.counts.commit).toBe(0);
    const after = await agent.inspect('T7-1');
    expect(after.ticket?.version).toBe(before.ticket?.version);
    expect(after.events).toHaveLength(before.events.length);
  });

  it('T7 every old messageId resent, oldest to newest, is recognised, in and out of the window', async () => {
    const { agent, llm, recording } = await tenMessages();
    const calls = llm.callCount;
    recording.reset();
    for (let index = 1; index <= 10; index += 1) {
      const text = index === 1 ? 'my fiber is down in Hamburg' : `message number ${index}`;
      const again = await agent.handle({ ticketId: 'T7-1', message: text, messageId: `m-${index}` });
      expect(again.duplicate, `m-${index}`).toBe(true);
    }
    expect(llm.callCount).toBe(calls);
    expect(recording.counts.commit).toBe(0);
  });

  it('T7 a resend inside the window costs one load and no event read; a new message costs one load and one commit', async () => {
    const { agent, recording } = await tenMessages();
    recording.reset();
    const recent = await agent.handle({ ticketId: 'T7-1', message: 'message number 10', messageId: 'm-10' });
    expect(recent.duplicate).toBe(true);
    expect(recording.counts).toMatchObject({ load: 1, commit: 0, events: 0 });
    recording.reset();
    const fresh = await agent.handle({ ticketId: 'T7-1', message: 'a new message', messageId: 'm-11' });
    expect(fresh.duplicate).toBe(false);
    expect(recording.counts).toMatchObject({ load: 1, commit: 1, events: 0 });
  });

  it('T7 a non-executing turn still costs one load and one commit after a thousand messages (the document stays bounded)', async () => {
    const recording = recordingStore();
    const { agent } = createHarness({ store: recording.store, mock: { fallback: { intent: null, confidence: 0.2 } } });
    let size = 0;
    for (let index = 1; index <= 1_000; index += 1) {
      await agent.handle({ ticketId: 'T7-big', message: `message ${index}`, messageId: `id-${index}` });
      if (index === 100) size = JSON.stringify((await recording.inner.load('T7-big'))!.ticket).length;
    }
    recording.reset();
    await agent.handle({ ticketId: 'T7-big', message: 'one more', messageId: 'id-new' });
    expect(recording.counts).toMatchObject({ load: 1, commit: 1, events: 0 });
    const end = JSON.stringify((await recording.inner.load('T7-big'))!.ticket).length;
    // The seen-filter has a fixed size: 900 more messages add nothing to the document.
    expect(end).toBeLessThan(size + 2_000);
    recording.reset();
    const old = await agent.handle({ ticketId: 'T7-big', message: 'message 7', messageId: 'id-7' });
    expect(old.duplicate).toBe(true);
    expect(recording.counts.commit).toBe(0);
  }, 60_000);

  it('T7 a ticket with 4,000 messageIds rarely reads its log: the filter grows by layers instead of filling up', async () => {
    const recording = recordingStore();
    const { agent } = createHarness({ store: recording.store, messageIdWindow: 5, mock: { fallback: { intent: null, confidence: 0.2 } } });
    for (let index = 1; index <= 3_500; index += 1) await agent.handle({ ticketId: 'T7-long', message: `message ${index}`, messageId: `id-${index}` });
    recording.reset();
    for (let index = 3_501; index <= 4_000; index += 1) await agent.handle({ ticketId: 'T7-long', message: `message ${index}`, messageId: `id-${index}` });
    // With one fixed 2 KiB filter, about a quarter of these new ids looked seen: each read the whole log (~14 pages of 1,000 events).
    expect(recording.counts.events).toBeLessThan(200); // pages of 1,000 events: fewer than 14 whole-log reads in 500 turns
    const old = await agent.handle({ ticketId: 'T7-long', message: 'message 12', messageId: 'id-12' });
    expect(old.duplicate).toBe(true);
  }, 120_000);

  it('T7 each of 300 messageIds is recognised when resent after it left the window (no LLM call, no commit)', async () => {
    const recording = recordingStore();
    const { agent, llm } = createHarness({ store: recording.store, messageIdWindow: 3, mock: { fallback: { intent: null, confidence: 0.2 } } });
    for (let index = 1; index <= 300; index += 1) await agent.handle({ ticketId: 'T7-300', message: `text ${index}`, messageId: `msg-${index}` });
    const calls = llm.callCount;
    recording.reset();
    const missed: string[] = [];
    for (let index = 1; index <= 297; index += 1) {
      const again = await agent.handle({ ticketId: 'T7-300', message: `text ${index}`, messageId: `msg-${index}` });
      if (!again.duplicate) missed.push(`msg-${index}`);
    }
    expect(missed).toEqual([]);
    expect(llm.callCount).toBe(calls);
    expect(recording.counts.commit).toBe(0);
  }, 60_000);

  for (const [where, messageId, text] of [
    ['out of the window', 'm-1', 'my fiber is down in Hamburg'],
    ['in the window', 'm-10', 'message number 10'],
  ] as const) {
    it(`T7 the same messageId ${where} with another text is refused with message_id_reused and changes nothing`, async () => {
      const { agent, backend, recording } = await tenMessages();
      const before = await agent.inspect('T7-1');
      const runs = backend.runs.length;
      recording.reset();
      const error = await agent.handle({ ticketId: 'T7-1', message: `${text}, please`, messageId }).catch((thrown: unknown) => thrown);
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).code).toBe('message_id_reused');
      expect(recording.counts.commit).toBe(0);
      const after = await agent.inspect('T7-1');
      expect(after.ticket?.version).toBe(before.ticket?.version);
      expect(after.events).toHaveLength(before.events.length);
      expect(backend.runs).toHaveLength(runs);
      // The original text is still answered with its recorded result.
      const again = await agent.handle({ ticketId: 'T7-1', message: text, messageId });
      expect(again.duplicate).toBe(true);
    });
  }

  it('T7 a messageId is per ticket: the same id on another ticket is a new message', async () => {
    const { agent } = await tenMessages();
    const other = await agent.handle({ ticketId: 'T7-other', message: 'hello', messageId: 'm-1' });
    expect(other.duplicate).toBe(false);
    expect(other.ticket.turn).toBe(1);
  });

  it('T7 T6 two workers given one executing message at once process it once: tools run once, one result is the recorded duplicate', async () => {
    const domain = createTestDomain();
    const data = new MemoryStoreData();
    const worker = (instanceId: string) =>
      createAgent({
        store: new MemoryTicketStore({ data }),
        llm: new MockLLM({ fallback: fiberDown }),
        intents: domain.intents,
        workflows: domain.workflows,
        slots: domain.extraSlots,
        instanceId,
      });
    const message = { ticketId: 'T7-race', message: 'my fiber is down in Hamburg', messageId: 'm-1' };
    const results = await Promise.all([worker('a').handle(message), worker('b').handle(message), worker('c').handle(message)]);
    expect(domain.backend.runs.map((run) => run.tool)).toEqual(['check_outage', 'reset_modem']);
    expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
    for (const result of results) expect(result.action).toEqual({ type: 'execute', workflow: 'fiber_troubleshoot', outcome: 'resolved' });
    const events = await new MemoryTicketStore({ data }).events('T7-race');
    expect(events.filter((event) => event.type === 'message.received')).toHaveLength(1);
  });

  for (const landed of [true, false]) {
    it(`T7 E4 the final commit of an execution ${landed ? 'lands but its answer is lost' : 'fails before it lands'}: handle rejects (outcome unknown), a retry with the same messageId leaves each effect once`, async () => {
      const inner = new MemoryTicketStore();
      let failAt = 0;
      const store = {
        name: 'flaky',
        load: (id: string) => inner.load(id),
        commit: async (request: Parameters<MemoryTicketStore['commit']>[0]) => {
          failAt -= 1;
          if (failAt === 0) {
            if (landed) await inner.commit(request);
            throw new StoreError({ kind: 'unavailable', adapter: 'flaky', message: 'connection reset', outcome: 'unknown' });
          }
          return inner.commit(request);
        },
        events: (id: string, options?: Parameters<MemoryTicketStore['events']>[1]) => inner.events(id, options),
        delete: (id: string) => inner.delete(id),
        list: (query: Parameters<MemoryTicketStore['list']>[0]) => inner.list(query),
        purge: (options: Parameters<MemoryTicketStore['purge']>[0]) => inner.purge(options),
        close: () => inner.close(),
      };
      const { agent, llm, backend } = createHarness({ store, mock: { fallback: { intent: null, confidence: 0.2 } } });
      llm.enqueue({ intent: 'no_internet', confidence: 0.95, entities: { service_type: 'fiber', region: 'Hamburg' } });
      failAt = 3; // checkpoint with step 0, step 1, then the result
      const error = await agent.handle({ ticketId: 'T7-unknown', message: 'fiber down in Hamburg', messageId: 'm-1' }).catch((thrown: unknown) => thrown);
      expect(StoreError.isInstance(error)).toBe(true);
      expect((error as StoreError).outcome).toBe('unknown');
      llm.enqueue({ intent: 'no_internet', confidence: 0.95, entities: { service_type: 'fiber', region: 'Hamburg' } });
      const retried = await agent.handle({ ticketId: 'T7-unknown', message: 'fiber down in Hamburg', messageId: 'm-1' });
      expect(retried.duplicate).toBe(landed);
      expect(retried.action).toEqual({ type: 'execute', workflow: 'fiber_troubleshoot', outcome: 'resolved' });
      expect(retried.ticket.status).toBe('resolved');
      expect(backend.live().filter((effect) => effect.tool === 'reset_modem')).toHaveLength(1);
      const stored = (await inner.load('T7-unknown'))!.ticket;
      expect(stored.transcript.filter((entry) => entry.role === 'user' && entry.messageId === 'm-1')).toHaveLength(1);
      expect(stored.processed.filter((entry) => entry.messageId === 'm-1')).toHaveLength(1);
    });
  }

  it('T7 P2 the same messageId with other personal data in the text is refused too', async () => {
    const { agent } = createHarness({ mock: { fallback: { intent: null, confidence: 0.2 } } });
    await agent.handle({ ticketId: 'T7-pii', message: 'please write to jane.doe@example.com', messageId: 'm-1' });
    const error = await agent
      .handle({ ticketId: 'T7-pii', message: 'please write to john.roe@example.org', messageId: 'm-1' })
      .catch((thrown: unknown) => thrown);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
  });
});
