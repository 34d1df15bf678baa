import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Issue 14.4: the typing of definitions is part of the contract. The type tests live in
 * test/types/*.ts (never run, only compiled); this runs the compiler on them so that `npm test`
 * fails when typed slots, the tool list of `ctx.call`, `ctx.ask`, typed events or hooks regress.
 */
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsc = join(packageRoot, 'node_modules', '.bin', 'tsc');

function compile(project: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(tsc, ['-p', project, '--pretty', 'false'], { cwd: packageRoot, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

const NEGATIVE = `
import { expectTypeOf } from 'vitest';
import { z } from 'zod';
import { defineIntent, defineSlot, defineWorkflow } from '@ticketflow/core';
const region = defineSlot({ name: 'region', schema: z.string() });
export const workflow = defineWorkflow({ name: 'w', intent: defineIntent({ name: 'i' }), required: [region], run: (ctx) => {
  expectTypeOf(ctx.slots.region).toEqualTypeOf<number>();
  return { status: 'resolved', reply: 'ok' };
} });
`;

const INSPECT = `
import { expectTypeOf } from 'vitest';
import type { Agent, TicketStatus } from '@ticketflow/core';
export async function statuses(agent: Agent): Promise<TicketStatus[]> {
  const { events } = await agent.inspect('T-1');
  const found: TicketStatus[] = [];
  for (const event of events) {
    if (event.type === 'status.changed') {
      expectTypeOf(event.data.to).toEqualTypeOf<TicketStatus>();
      found.push(event.data.to);
    }
  }
  return found;
}
`;

/**
 * One compiler run (it takes a while) over the type tests of test/types and two snippets: one
 * that must fail (proving the checks can fail) and one about inspect()'s events. The snippets
 * live next to the package (so zod, vitest and the sources resolve) and are removed afterwards.
 */
let compiled: Promise<{ code: number; output: string }> | undefined;
function compileAll(): Promise<{ code: number; output: string }> {
  compiled ??= (async () => {
    const directory = join(packageRoot, '.tmp', `types-${process.pid}`);
    mkdirSync(directory, { recursive: true });
    try {
      writeFileSync(join(directory, 'negative.ts'), NEGATIVE);
      writeFileSync(join(directory, 'inspect.ts'), INSPECT);
      writeFileSync(
        join(directory, 'tsconfig.json'),
        JSON.stringify({
          extends: '../../tsconfig.json',
          compilerOptions: { noEmit: true },
          include: ['../../test/types/*.ts', './negative.ts', './inspect.ts'],
        }),
      );
      return await compile(join(directory, 'tsconfig.json'));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  })();
  return compiled;
}

const errorsIn = (output: string, file: string) => output.split('\n').filter((line) => line.includes(file) && /error TS\d+/.test(line));

describe('typed definitions (issue 14.4)', () => {
  it('S1 E4 E6 ctx.slots is typed from required/optional/asks, ctx.call only accepts listed tools, ctx.ask only declared slots; events and hooks are typed', async () => {
    const { output } = await compileAll();
    // The compiler did run (it found the error planted in the negative snippet) …
    expect(errorsIn(output, 'negative.ts').length).toBeGreaterThan(0);
    // … and found none in the type tests.
    expect(errorsIn(output, 'typed-definitions.ts')).toEqual([]);
    // Nothing else failed to compile either (only the two snippets may report errors).
    const others = output.split('\n').filter((line) => /error TS\d+/.test(line) && !line.includes('negative.ts') && !line.includes('inspect.ts'));
    expect(others).toEqual([]);
  }, 300_000);

  it('S1 the type tests can fail: a wrong expectation is reported by the compiler', async () => {
    const { code, output } = await compileAll();
    expect(code).not.toBe(0);
    expect(errorsIn(output, 'negative.ts').length).toBeGreaterThan(0);
  }, 300_000);

  it('O1 agent.inspect() events are the typed union: event.type narrows event.data', async () => {
    const { output } = await compileAll();
    expect(errorsIn(output, 'inspect.ts')).toEqual([]);
  }, 300_000);
});
