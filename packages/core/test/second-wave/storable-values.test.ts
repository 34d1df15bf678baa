import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigurationError, createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { createRecordingBackend } from '../support/test-domain.js';
import { eventsOf, recordingStore } from './helpers.js';

/**
 * Issue 12.4 and 12.6: values are compared as they are stored, a slot's declared type
 * round-trips (or the definition is refused), and a tool output a store cannot hold as is
 * is sanitized (NUL, lone surrogates) or fails its step like any failure (BigInt).
 */
function dateWorld(options: { confirm?: boolean } = {}) {
  const backend = createRecordingBackend();
  const seen: { isDate: boolean; iso: string }[] = [];
  const visitDate = defineSlot({ name: 'visit_date', schema: z.coerce.date(), question: 'Which day should the technician come?' });
  const intent = defineIntent({ name: 'book_visit', description: 'Book a technician visit' });
  const book = defineTool({
    name: 'book_technician',
    input: z.object({ date: z.string() }),
    output: z.object({ booking: z.string() }),
    run: (input, context) => backend.run('book_technician', context.idempotencyKey, input, () => ({ booking: `B-${context.idempotencyKey}` })),
    compensate: (_input, _output, context) => backend.undo('book_technician', context.idempotencyKey),
  });
  const workflow = defineWorkflow({
    name: 'book_visit',
    intent,
    required: [visitDate],
    tools: [book],
    confirm: options.confirm ?? false,
    run: async (context) => {
      const date = context.slots.visit_date;
      seen.push({ isDate: date instanceof Date, iso: date instanceof Date ? date.toISOString() : String(date) });
      const { booking } = await context.call(book, { date: date.toISOString().slice(0, 10) });
      return { status: 'resolved', reply: `Booked ${booking}.` };
    },
  });
  const llm = new MockLLM();
  const recording = recordingStore();
  const agent = createAgent({ store: recording.store, llm, intents: [intent], workflows: [workflow] });
  const say = (ticketId: string, message: string, entities: Record<string, unknown>, intentName: string | null = 'book_visit') => {
    llm.enqueue({ intent: intentName, confidence: intentName ? 0.95 : 0.1, entities });
    return agent.handle({ ticketId, message });
  };
  return { backend, seen, agent, llm, say, recording };
}

describe('storable values (issue 12.4)', () => {
  it('S4 E2a a z.coerce.date() slot mentioned again with the same date records no correction and does not re-run', async () => {
    const world = dateWorld();
    const first = await world.say('D-1', 'a technician on 1 July please', { visit_date: '2025-07-01' });
    expect(first.action).toEqual({ type: 'execute', workflow: 'book_visit', outcome: 'resolved' });
    for (const [message, value] of [
      ['see you on 1 July', '2025-07-01'],
      ['so 1 July at midnight UTC', '2025-07-01T00:00:00Z'],
      ['1 July it is', Date.UTC(2025, 6, 1)],
    ] as const) {
      const again = await world.say('D-1', message, { visit_date: value });
      expect(again.action, message).toEqual({ type: 'acknowledge' });
    }
    expect(world.backend.runs).toHaveLength(1);
    const { events } = await world.agent.inspect('D-1');
    expect(eventsOf(events, 'slot.corrected')).toEqual([]);
    expect(eventsOf(events, 'execution.started')).toHaveLength(1);
    const stored = (await world.agent.getTicket('D-1'))!.slots.visit_date!;
    expect(stored.value).toBe('2025-07-01T00:00:00.000Z');
  });

  it('S4 E2a another date is a correction: recorded once, and the booking runs again with the new date', async () => {
    const world = dateWorld();
    await world.say('D-2', 'technician on 1 July', { visit_date: '2025-07-01' });
    const moved = await world.say('D-2', 'actually 2 July', { visit_date: '2025-07-02' });
    expect(moved.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    const { events } = await world.agent.inspect('D-2');
    expect(eventsOf(events, 'slot.corrected').map((event) => [event.data.from, event.data.to])).toEqual([
      ['2025-07-01T00:00:00.000Z', '2025-07-02T00:00:00.000Z'],
    ]);
    expect(world.seen.map((entry) => entry.iso)).toEqual(['2025-07-01T00:00:00.000Z', '2025-07-02T00:00:00.000Z']);
  });

  it('E2 a confirm: true workflow with a date slot asks once, runs on yes (the date repeated alongside), and the workflow receives a Date', async () => {
    const world = dateWorld({ confirm: true });
    const asked = await world.say('D-3', 'book a technician on 1 July', { visit_date: '2025-07-01' });
    expect(asked.action).toMatchObject({ type: 'ask', slot: 'confirm' });
    const done = await world.say('D-3', 'yes, 1 July', { confirm: true, visit_date: '2025-07-01' }, null);
    expect(done.action).toEqual({ type: 'execute', workflow: 'book_visit', outcome: 'resolved' });
    expect(world.seen).toEqual([{ isDate: true, iso: '2025-07-01T00:00:00.000Z' }]);
    const thanks = await world.say('D-3', 'thanks, see you on 1 July', { visit_date: '2025-07-01' }, null);
    expect(thanks.action).toEqual({ type: 'acknowledge' });
    const { events } = await world.agent.inspect('D-3');
    expect(eventsOf(events, 'confirmation.requested')).toHaveLength(1);
    expect(eventsOf(events, 'slot.corrected')).toEqual([]);
    expect(world.backend.runs).toHaveLength(1);
  });

  it('S4 defineSlot refuses schemas whose values cannot be stored as JSON and read back', () => {
    for (const [label, schema] of [
      ['z.date()', z.date()],
      ['z.bigint()', z.bigint()],
      ['z.map()', z.map(z.string(), z.string())],
      ['z.set()', z.set(z.string())],
      ['z.date().optional()', z.date().optional()],
      ['z.bigint().nullable()', z.bigint().nullable()],
    ] as const) {
      let error: unknown;
      try {
        defineSlot({ name: 'when', schema: schema as z.ZodType<unknown>, question: 'When?' });
      } catch (thrown) {
        error = thrown;
      }
      expect(ConfigurationError.isInstance(error), label).toBe(true);
      expect((error as ConfigurationError).issues.join(' '), label).toMatch(/cannot be stored as JSON/);
    }
    expect(() => defineSlot({ name: 'when', schema: z.coerce.date(), question: 'When?' })).not.toThrow();
    expect(() => defineSlot({ name: 'when', schema: z.iso.datetime(), question: 'When?' })).not.toThrow();
  });

  it('S4 defineSlot refuses a non-JSON type nested in an object or an array', () => {
    for (const schema of [z.object({ at: z.date() }), z.array(z.bigint()), z.object({ tags: z.set(z.string()) })]) {
      expect(() => defineSlot({ name: 'nested', schema: schema as z.ZodType<unknown>, question: 'Which?' })).toThrow(ConfigurationError);
    }
  });
});

describe('tool outputs a store cannot hold as they are (issue 12.6)', () => {
  function noteWorld(output: () => unknown, outputSchema: z.ZodType<unknown> = z.object({ note: z.string() })) {
    const backend = createRecordingBackend();
    const ticketSlot = defineSlot({ name: 'ref', schema: z.string(), question: 'Which reference?' });
    const intent = defineIntent({ name: 'note', description: 'Add a note' });
    const reserve = defineTool({
      name: 'reserve',
      input: z.object({ ref: z.string() }),
      output: z.object({ ok: z.boolean() }),
      run: (input, context) => backend.run('reserve', context.idempotencyKey, input, () => ({ ok: true })),
      compensate: (_input, _output, context) => backend.undo('reserve', context.idempotencyKey),
    });
    const write = defineTool({
      name: 'write_note',
      input: z.object({ ref: z.string() }),
      output: outputSchema,
      run: (input, context) => backend.run('write_note', context.idempotencyKey, input, output),
      compensate: (_input, _output, context) => backend.undo('write_note', context.idempotencyKey),
    });
    const workflow = defineWorkflow({
      name: 'add_note',
      intent,
      required: [ticketSlot],
      tools: [reserve, write],
      run: async (context) => {
        await context.call(reserve, { ref: context.slots.ref });
        const written = (await context.call(write, { ref: context.slots.ref })) as { note?: unknown };
        return { status: 'resolved', reply: `Noted: ${String(written.note)}`, data: { written } };
      },
    });
    const recording = recordingStore();
    const agent = createAgent({
      store: recording.store,
      llm: new MockLLM({ fallback: { intent: 'note', confidence: 0.9, entities: { ref: 'R-1' } } }),
      intents: [intent],
      workflows: [workflow],
    });
    return { backend, agent, recording };
  }

  /** Every string of a value, depth first. */
  function strings(value: unknown, into: string[] = []): string[] {
    if (typeof value === 'string') into.push(value);
    else if (Array.isArray(value)) for (const item of value) strings(item, into);
    else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) (into.push(key), strings(item, into));
    return into;
  }
  const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

  for (const [label, note, expected] of [
    ['a NUL character', 'ref\u0000123', 'ref\uFFFD123'],
    ['a lone surrogate', 'ref\uD800123', 'ref\uFFFD123'],
    ['a lone low surrogate at the end', 'ref123\uDC00', 'ref123\uFFFD'],
  ] as const) {
    it(`E3 T3 a tool output with ${label}: handle resolves, the effect ran once, no claim is held, the stored value is sanitized`, async () => {
      const world = noteWorld(() => ({ note }));
      const result = await world.agent.handle({ ticketId: 'N-1', message: 'add a note' });
      expect(result.action).toEqual({ type: 'execute', workflow: 'add_note', outcome: 'resolved' });
      expect(result.ticket.status).toBe('resolved');
      expect(result.ticket.execution).toBeNull();
      expect(world.backend.runs.map((run) => run.tool)).toEqual(['reserve', 'write_note']);
      expect(world.backend.undos).toEqual([]);
      const stored = await world.recording.inner.load('N-1');
      expect(stored?.ticket.status).toBe('resolved');
      expect((stored?.ticket as { execution: unknown }).execution).toBeNull();
      const { events } = await world.agent.inspect('N-1');
      const completed = eventsOf(events, 'step.completed').find((event) => event.data.tool === 'write_note')!;
      expect(completed.data.output).toEqual({ note: expected });
      expect(result.ticket.outcomes.add_note?.calls?.[1]?.output).toEqual({ note: expected });
      // Nothing the engine sent to the store holds the raw character.
      for (const commit of world.recording.commits) {
        for (const text of strings(commit.request)) expect(unstorable.test(text), JSON.stringify(text)).toBe(false);
      }
      expect(world.recording.commits.every((commit) => commit.result.ok)).toBe(true);
      // The next turn works (T5).
      const next = await world.agent.handle({ ticketId: 'N-1', message: 'thanks' });
      expect(next.action).toEqual({ type: 'acknowledge' });
    });
  }

  it('E3 a tool output JSON cannot hold (BigInt) fails the step and compensates; handle resolves', async () => {
    const world = noteWorld(() => ({ note: 'ok', total: 10n }), z.object({ note: z.string(), total: z.unknown() }));
    const result = await world.agent.handle({ ticketId: 'N-2', message: 'add a note' });
    expect(result.action).toMatchObject({ type: 'execute', workflow: 'add_note', outcome: 'failed' });
    expect(result.ticket.execution).toBeNull();
    expect(result.ticket.status).not.toBe('executing');
    // The call ran (its effect may stand): both steps are undone, in reverse order.
    expect(world.backend.undos.map((undo) => undo.tool)).toEqual(['write_note', 'reserve']);
    expect(world.backend.live()).toEqual([]);
    const { events } = await world.agent.inspect('N-2');
    const failed = eventsOf(events, 'step.failed')[0]!;
    expect(failed.data).toMatchObject({ tool: 'write_note', ran: true });
    expect(failed.data.error).toMatch(/BigInt|JSON/i);
  });

  it('E3 a workflow result whose data or reply JSON cannot hold is stored safely; the execution completes', async () => {
    const backend = createRecordingBackend();
    const ref = defineSlot({ name: 'ref', schema: z.string(), question: 'Which reference?' });
    const intent = defineIntent({ name: 'note', description: 'Add a note' });
    const workflow = defineWorkflow({
      name: 'odd_result',
      intent,
      required: [ref],
      run: () => ({ status: 'resolved', reply: 'done\u0000 \uD800', data: { big: 10n as unknown as number, text: 'a\u0000b' } }),
    });
    const recording = recordingStore(new MemoryTicketStore());
    const agent = createAgent({
      store: recording.store,
      llm: new MockLLM({ fallback: { intent: 'note', confidence: 0.9, entities: { ref: 'R-1' } } }),
      intents: [intent],
      workflows: [workflow],
    });
    const result = await agent.handle({ ticketId: 'N-3', message: 'go' });
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    expect(result.reply).toBe('done\uFFFD \uFFFD');
    expect(result.ticket.execution).toBeNull();
    expect(backend.runs).toEqual([]);
  });

  it('E5 defineTool refuses an output schema that cannot be journaled as JSON and read back (z.date())', () => {
    expect(() => defineTool({ name: 'when', input: z.object({}), output: z.object({ at: z.date() }), run: () => ({ at: new Date() }) })).toThrow(
      ConfigurationError,
    );
  });

  it('E5 a tool whose output schema is z.coerce.date(): the workflow receives a Date on the first run', async () => {
    const ref = defineSlot({ name: 'ref', schema: z.string(), question: 'Which reference?' });
    const intent = defineIntent({ name: 'when', description: 'When is my visit' });
    const lookup = defineTool({
      name: 'lookup_visit',
      input: z.object({}),
      output: z.object({ at: z.coerce.date() }),
      run: () => ({ at: new Date(Date.UTC(2025, 6, 1)) }),
    });
    let received: unknown;
    const workflow = defineWorkflow({
      name: 'when',
      intent,
      required: [ref],
      tools: [lookup],
      run: async (context) => {
        received = (await context.call(lookup, {})).at;
        return { status: 'resolved', reply: 'ok' };
      },
    });
    const agent = createAgent({
      store: new MemoryTicketStore(),
      llm: new MockLLM({ fallback: { intent: 'when', confidence: 0.9, entities: { ref: 'R-1' } } }),
      intents: [intent],
      workflows: [workflow],
    });
    const result = await agent.handle({ ticketId: 'N-4', message: 'when?' });
    expect(result.action).toMatchObject({ outcome: 'resolved' });
    expect(received).toBeInstanceOf(Date);
    expect((received as Date).toISOString()).toBe('2025-07-01T00:00:00.000Z');
  });
});

describe('what compensate receives', () => {
  /** A booking whose tool input has a `z.coerce.date()` field, then a notification that fails: the booking is compensated. */
  function bookingWorld(options: { throwOnReread?: boolean } = {}) {
    const seen = { run: [] as unknown[], compensate: [] as unknown[] };
    const day = z.coerce.date().transform((date) => {
      // Once the booking ran, the data the transform needs is gone (a reloaded rate table).
      if (options.throwOnReread && seen.run.length > 0) throw new Error('no rate table for this day');
      return date;
    });
    const intent = defineIntent({ name: 'book', description: 'Book a visit' });
    const book = defineTool({
      name: 'book',
      input: z.object({ day }),
      output: z.object({ ok: z.boolean() }),
      run: (input) => (seen.run.push(input.day instanceof Date), { ok: true }),
      compensate: (input) => void seen.compensate.push(input.day instanceof Date ? 'a Date' : typeof input.day),
    });
    const notify = defineTool({
      name: 'notify',
      input: z.object({}),
      output: z.object({ ok: z.boolean() }),
      run: () => {
        throw new Error('mail server down');
      },
    });
    const workflow = defineWorkflow({
      name: 'book',
      intent,
      tools: [book, notify],
      run: async (context) => {
        await context.call(book, { day: '2026-12-24' });
        await context.call(notify, {});
        return { status: 'resolved', reply: 'Booked.' };
      },
    });
    const store = new MemoryTicketStore();
    const llm = new MockLLM({ fallback: { intent: 'book', confidence: 0.95, entities: {} } });
    const agent = createAgent({ store, llm, intents: [intent], workflows: [workflow] });
    return { agent, store, seen };
  }

  it('E3 compensate receives the input as the schema parses it (a z.coerce.date() field is a Date, as run got it)', async () => {
    const world = bookingWorld();
    const result = await world.agent.handle({ ticketId: 'CD-1', message: 'book the 24th' });
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'failed' });
    expect(world.seen.run).toEqual([true]);
    expect(world.seen.compensate).toEqual(['a Date']);
  });

  it('E3 a schema that throws when it reads the stored input again still lets the compensation run (with the stored value)', async () => {
    const world = bookingWorld({ throwOnReread: true });
    const result = await world.agent.handle({ ticketId: 'CD-2', message: 'book the 24th' });
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'failed' });
    expect(world.seen.compensate).toEqual(['string']);
    const events = await world.store.events('CD-2');
    expect(events.map((event) => event.type)).not.toContain('compensation.failed');
    expect(events.map((event) => event.type)).toContain('step.compensated');
  });
});
