import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigurationError } from '../errors/ticketflow-error.js';
import { buildRegistry } from './registry.js';
import { defineIntent } from './intent.js';
import { defineSlot } from './slot.js';
import { defineTool } from './tool.js';
import { defineWorkflow } from './workflow.js';

function configurationIssues(build: () => unknown): readonly string[] {
  try {
    build();
  } catch (error) {
    if (ConfigurationError.isInstance(error)) return error.issues;
    throw error;
  }
  return [];
}

describe('define*', () => {
  it('refuses bad definitions with every problem listed', () => {
    expect(configurationIssues(() => defineSlot({ name: 'intent', schema: 'nope' as never, question: ' ' }))).toHaveLength(3);
    expect(configurationIssues(() => defineIntent({ name: '9lives' }))).toHaveLength(1);
    expect(
      configurationIssues(() => defineTool({ name: 't', input: z.object({}), output: 5 as never, run: 'x' as never, retries: 99, timeoutMs: -1 })),
    ).toHaveLength(4);
    const slot = defineSlot({ name: 'a', schema: z.string(), question: 'a?' });
    expect(
      configurationIssues(() => defineWorkflow({ name: 'w', intent: 'i', required: [slot, slot], run: () => ({ status: 'resolved', reply: 'x' }) })),
    ).toEqual(['workflow "w": slot "a" is listed twice']);
  });

  it('a recursive schema (getters returning itself) is walked once per schema object, not once per path', () => {
    const Node: z.ZodType = z.object({
      value: z.string(),
      get left() {
        return Node.optional();
      },
      get right() {
        return Node.optional();
      },
      get middle() {
        return Node.optional();
      },
    });
    // Count the walks' visits of the node: each visit reads its definition once.
    const internals = (Node as unknown as { _zod: { def: unknown } })._zod;
    const def = internals.def;
    let visits = 0;
    Object.defineProperty(internals, 'def', { configurable: true, get: () => ((visits += 1), def) });
    expect(configurationIssues(() => defineSlot({ name: 'tree', schema: Node, question: 'Which tree?' }))).toEqual([]);
    expect(configurationIssues(() => defineTool({ name: 'prune', input: Node, output: Node, run: async (tree) => tree }))).toEqual([]);
    // Six walks (two per schema) visit it once each; walking every path visited it about 3^10 times per walk.
    expect(visits).toBeLessThan(50);
  });

  it('a workflow without required slots may leave required out (no TypeError)', () => {
    const workflow = defineWorkflow({ name: 'sync', intent: 'sync', run: async () => ({ status: 'resolved', reply: 'ok' }) });
    expect(workflow.required).toEqual([]);
    expect(() => defineWorkflow({ name: 'bad', intent: 'sync', required: 'x' as never, run: async () => ({ status: 'resolved', reply: 'ok' }) })).toThrow(
      ConfigurationError,
    );
  });

  it('defaults an intent description and a slot question from their names', () => {
    expect(defineIntent({ name: 'slow_internet' }).description).toBe('slow internet');
    const slot = defineSlot({ name: 'account_number', schema: z.string() });
    expect(slot.question).toBe('What is your account number?');
    expect(defineSlot({ name: 'x', schema: z.string(), description: 'postcode of the address' }).question).toBe('What is your postcode of the address?');
  });

  it('S3 makes the four named stable facts stable unless declared otherwise', () => {
    expect(defineSlot({ name: 'region', schema: z.string() }).stable).toBe(true);
    expect(defineSlot({ name: 'region', schema: z.string(), stable: false }).stable).toBe(false);
    expect(defineSlot({ name: 'amount', schema: z.number() }).stable).toBe(false);
  });

  it('cross-checks definitions when the agent is built', () => {
    const intent = defineIntent({ name: 'i', description: 'i' });
    const a1 = defineSlot({ name: 'a', schema: z.string() });
    const a2 = defineSlot({ name: 'a', schema: z.number() });
    const derived = defineSlot({ name: 'd', schema: z.string(), infer: { from: ['missing'], derive: () => 'x' } });
    const loop1 = defineSlot({ name: 'l1', schema: z.string(), infer: { from: ['l2'], derive: () => 'x' } });
    const loop2 = defineSlot({ name: 'l2', schema: z.string(), infer: { from: ['l1'], derive: () => 'x' } });
    const run = () => ({ status: 'resolved' as const, reply: 'x' });
    const issues = configurationIssues(() =>
      buildRegistry({
        intents: [intent, intent],
        workflows: [
          defineWorkflow({ name: 'w1', intent: 'i', required: [a1, derived], run }),
          defineWorkflow({ name: 'w2', intent: 'unknown', required: [a2, loop1, loop2], run }),
        ],
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        'intent "i" is declared twice',
        expect.stringContaining('two different slots are named "a"'),
        'workflow "w2" serves the undeclared intent "unknown"',
        expect.stringContaining('inferred from "missing"'),
        expect.stringContaining('inference cycle'),
      ]),
    );
  });
});
