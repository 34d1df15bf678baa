// Type tests (issue 14.4), checked by `tsc -p test/types` from test/second-wave/typed-definitions.test.ts
// (and by the package's `typecheck`): never run. Every `@ts-expect-error` must stay an error.
import { expectTypeOf } from 'vitest';
import { z } from 'zod';
import {
  createAgent,
  defineIntent,
  defineSlot,
  defineTool,
  defineWorkflow,
  MemoryTicketStore,
  type TicketEvent,
  type TicketStatus,
  type WorkflowDefinition,
} from '@ticketflow/core';

const region = defineSlot({ name: 'region', schema: z.string().min(2) });
const count = defineSlot({ name: 'count', schema: z.number().int() });
const visit = defineSlot({ name: 'visit', schema: z.coerce.date() });
const device = defineSlot({ name: 'device_type', schema: z.enum(['router', 'phone']) });
const statusBar = defineSlot({ name: 'status_bar', schema: z.enum(['bars', 'no_service']) });
const elsewhere = defineSlot({ name: 'elsewhere', schema: z.string() });
const intent = defineIntent({ name: 'no_internet' });

const checkOutage = defineTool({
  name: 'check_outage',
  input: z.object({ region: z.string() }),
  output: z.object({ outage: z.boolean() }),
  run: () => ({ outage: false }),
});
const resetModem = defineTool({
  name: 'reset_modem',
  input: z.object({ device: z.enum(['router', 'phone']) }),
  output: z.object({ done: z.boolean() }),
  run: () => ({ done: true }),
});
const notListed = defineTool({ name: 'not_listed', input: z.object({}), output: z.object({}), run: () => ({}) });

export const typed = defineWorkflow({
  name: 'typed',
  intent,
  required: [region, count, visit],
  optional: [device],
  asks: [statusBar],
  tools: [checkOutage, resetModem],
  when: (slots) => {
    // `when` sees what is known so far: every declared slot, possibly missing.
    expectTypeOf(slots.region).toEqualTypeOf<string | undefined>();
    // @ts-expect-error an undeclared name is a compile-time error in `when` too
    return slots.regoin === 'x';
  },
  run: async (ctx) => {
    // A required slot is its schema's type; an optional or asked one may be undefined.
    expectTypeOf(ctx.slots.region).toEqualTypeOf<string>();
    expectTypeOf(ctx.slots.count).toEqualTypeOf<number>();
    expectTypeOf(ctx.slots.visit).toEqualTypeOf<Date>();
    expectTypeOf(ctx.slots.device_type).toEqualTypeOf<'router' | 'phone' | undefined>();
    expectTypeOf(ctx.slots.status_bar).toEqualTypeOf<'bars' | 'no_service' | undefined>();
    // @ts-expect-error an undeclared slot name (a typo) is a compile-time error
    void ctx.slots.regoin;
    // @ts-expect-error slots are read-only
    ctx.slots.region = 'Berlin';

    // ctx.call: typed input and output; only the listed tools.
    const outage = await ctx.call(checkOutage, { region: ctx.slots.region });
    expectTypeOf(outage).toEqualTypeOf<{ outage: boolean }>();
    await ctx.call(resetModem, { device: 'router' });
    // @ts-expect-error a tool missing from `tools` does not compile
    await ctx.call(notListed, {});
    // @ts-expect-error the tool's input type is checked
    await ctx.call(checkOutage, { region: 42 });
    // @ts-expect-error an enum input keeps its literal type
    await ctx.call(resetModem, { device: 'toaster' });

    // ctx.ask: the slot's type; only declared slots.
    const bar = await ctx.ask(statusBar);
    expectTypeOf(bar).toEqualTypeOf<'bars' | 'no_service'>();
    // @ts-expect-error a slot declared nowhere in the workflow cannot be asked
    await ctx.ask(elsewhere);
    return { status: 'resolved', reply: 'ok' };
  },
});

// Without optional or asks, any other name is an error, and `asks` is empty.
export const minimal = defineWorkflow({
  name: 'minimal',
  intent,
  required: [region],
  run: async (ctx) => {
    expectTypeOf(ctx.slots.region).toEqualTypeOf<string>();
    // @ts-expect-error not declared by this workflow
    void ctx.slots.count;
    // @ts-expect-error no tools listed: no tool can be called
    await ctx.call(checkOutage, { region: 'x' });
    return { status: 'resolved', reply: 'ok' };
  },
});

// The result is checked too.
export const badResult = defineWorkflow({
  name: 'bad_result',
  intent,
  required: [],
  // @ts-expect-error status must be resolved, escalated or failed
  run: () => ({ status: 'done', reply: 'ok' }),
});

// Typed definitions still go into createAgent's lists.
export const agent = createAgent({
  store: new MemoryTicketStore(),
  llm: { name: 'stub', generate: async () => ({ text: '{}', model: 'stub', latencyMs: 0 }) },
  intents: [intent],
  workflows: [typed, minimal] as WorkflowDefinition[],
});

// Typed events: the type narrows the data (14.2).
export function statusOf(event: TicketEvent): TicketStatus | null {
  if (event.type === 'status.changed') {
    expectTypeOf(event.data.from).toEqualTypeOf<TicketStatus>();
    return event.data.to;
  }
  // @ts-expect-error other events have no `to`
  return event.data.to;
}

// Hook payloads are typed from the event map.
agent.on('llm.circuit_opened', (event) => {
  expectTypeOf(event.cause).toEqualTypeOf<string>();
  expectTypeOf(event.ticketId).toEqualTypeOf<string>();
});
agent.on('turn.completed', (event) => {
  expectTypeOf(event.ticket.status).toEqualTypeOf<TicketStatus>();
});
// @ts-expect-error an unknown hook name
agent.on('turn.finished', () => undefined);

// A tool's types follow what its schemas accept and produce: `ctx.call` takes the input
// schema's input (a `.default()` field may be left out), `run` returns the output schema's
// input, and `ctx.call` resolves to the output schema's output.
const lookUpLine = defineTool({
  name: 'look_up_line',
  input: z.object({ phone: z.string(), country: z.string().default('DE') }),
  output: z.object({ line: z.string(), plan: z.string().default('basic') }),
  run: (input) => {
    expectTypeOf(input.country).toEqualTypeOf<string>();
    return { line: `L-${input.phone}` }; // `plan` has a default: it may be left out
  },
});
export const defaulted = defineWorkflow({
  name: 'defaulted',
  intent: 'check',
  required: [],
  tools: [lookUpLine],
  run: async (ctx) => {
    const result = await ctx.call(lookUpLine, { phone: '555' });
    expectTypeOf(result.plan).toEqualTypeOf<string>();
    // @ts-expect-error the input schema still needs `phone`
    await ctx.call(lookUpLine, { country: 'FR' });
    return { status: 'resolved', reply: result.line };
  },
});
