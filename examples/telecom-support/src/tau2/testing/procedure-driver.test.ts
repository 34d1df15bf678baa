import { defineSlot, defineTool } from '@ticketflow/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DriverNondeterminismError, driveProcedure } from './procedure-driver.js';

describe('procedure driver (the engine stand-in of the procedure tests)', () => {
  const counter = { calls: 0 };
  const bump = defineTool({ name: 'bump', input: z.object({ by: z.number() }), output: z.number(), run: (input) => (counter.calls += input.by) });
  const first = defineSlot({ name: 'first', schema: z.number() });
  const second = defineSlot({ name: 'second', schema: z.number() });

  it('E6 suspends on each unknown slot, re-runs from the top and never calls a completed tool twice', async () => {
    counter.calls = 0;
    const result = await driveProcedure({
      known: {},
      answer: (slot) => (slot.name === 'first' ? 1 : 2),
      procedure: async (ctx) => {
        await ctx.call(bump, { by: 10 });
        const a = await ctx.ask(first);
        await ctx.call(bump, { by: a });
        const b = await ctx.ask(second);
        return { status: 'resolved', reply: `${a}+${b}` };
      },
    });
    expect(result).toMatchObject({ ending: { reply: '1+2' }, asked: ['first', 'second'], runs: 3 });
    expect(counter.calls).toBe(11);
    expect(result.journal.map((step) => step.output)).toEqual([10, 11]);
  });

  it('refuses a re-run that diverges from its journal', async () => {
    let runs = 0;
    await expect(
      driveProcedure({
        known: {},
        answer: () => 1,
        procedure: async (ctx) => {
          runs += 1;
          await ctx.call(bump, { by: runs });
          await ctx.ask(first);
          return { status: 'resolved', reply: '' };
        },
      }),
    ).rejects.toThrow(DriverNondeterminismError);
  });

  it('gives up on an answer it cannot read', async () => {
    await expect(
      driveProcedure({ known: {}, answer: () => 'not a number', procedure: async (ctx) => ({ status: 'resolved', reply: String(await ctx.ask(first)) }) }),
    ).rejects.toThrow('could not be read');
  });
});
