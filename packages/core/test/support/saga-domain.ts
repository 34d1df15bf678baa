import { z } from 'zod';
import { defineIntent, defineSlot, defineTool, defineWorkflow, NonRetryableError, type ToolDefinition } from '@ticketflow/core';
import { createRecordingBackend } from './test-domain.js';

/**
 * A three-step workflow (reserve → charge → ship) whose tools record every call and
 * compensation, with failures injectable per step.
 */
export function createSagaDomain(options: { retries?: number; timeoutMs?: number } = {}) {
  const backend = createRecordingBackend();
  const order: string[] = [];
  const keys: { tool: string; key: string; attempt: number }[] = [];
  const item = defineSlot({ name: 'item', schema: z.string().min(1), question: 'Which item?' });
  const quantity = defineSlot({ name: 'quantity', schema: z.number().int().positive(), question: 'How many?' });
  const purchase = defineIntent({ name: 'purchase', description: 'Buy an item' });

  const step = (name: string) =>
    defineTool({
      name,
      input: z.object({ item: z.string(), quantity: z.number() }),
      output: z.object({ ok: z.literal(true), ref: z.string() }),
      timeoutMs: options.timeoutMs ?? 200,
      retries: options.retries ?? 0,
      run: async (input, context) => {
        order.push(`run:${name}`);
        keys.push({ tool: name, key: context.idempotencyKey, attempt: context.attempt });
        return backend.run(name, context.idempotencyKey, input, () => ({ ok: true as const, ref: `${name}-${context.idempotencyKey}` }));
      },
      compensate: async (_input, output, context) => {
        order.push(`undo:${name}:${output ? 'known' : 'unknown'}`);
        await backend.undo(name, context.idempotencyKey);
      },
    });
  const reserve = step('reserve');
  const charge = step('charge');
  const ship = step('ship');
  const foreign = step('foreign');

  const buy = defineWorkflow({
    name: 'buy',
    intent: purchase,
    required: [item, quantity],
    tools: [reserve, charge, ship],
    run: async (context) => {
      const input = { item: String(context.slots.item), quantity: Number(context.slots.quantity) };
      await context.call(reserve, input);
      await context.call(charge, input);
      const shipped = await context.call(ship, input);
      return { status: 'resolved', reply: `Shipped (${shipped.ref}).` };
    },
  });
  return {
    backend,
    order,
    keys,
    intents: [purchase],
    workflows: [buy],
    tools: { reserve, charge, ship, foreign } as Record<string, ToolDefinition<any, any>>,
    NonRetryableError,
  };
}
