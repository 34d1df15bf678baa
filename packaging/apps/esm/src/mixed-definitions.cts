// Definitions in a CommonJS module of an ESM app: they resolve @ticketflow/core to its
// CommonJS declarations (index.d.cts), the agent below to its ESM ones (index.d.ts).
import { z } from 'zod';
import { defineIntent, defineSlot, defineTool, defineWorkflow } from '@ticketflow/core';

const region = defineSlot({ name: 'region', schema: z.string().min(2), question: 'Which region?' });
const check = defineTool({ name: 'check', input: z.object({ region: z.string() }), output: z.object({ outage: z.boolean() }), run: () => ({ outage: false }) });

export const intents = [defineIntent({ name: 'no_internet', description: 'Internet does not work' })];
export const workflows = [
  defineWorkflow({
    name: 'fiber',
    intent: 'no_internet',
    required: [region],
    tools: [check],
    run: async (ctx) => {
      const { outage } = await ctx.call(check, { region: ctx.slots.region });
      return { status: 'resolved', reply: outage ? 'There is an outage.' : 'No outage.' };
    },
  }),
];
