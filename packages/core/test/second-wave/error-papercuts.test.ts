import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineTool, defineWorkflow, MemoryTicketStore, NonRetryableError } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';

describe('error papercuts a new user meets', () => {
  it('NonRetryableError is recognised by isInstance across copies of the package (a Symbol.for marker)', () => {
    const error = new NonRetryableError('card declined');
    expect(NonRetryableError.isInstance(error)).toBe(true);
    // What a second copy (the CommonJS build next to the ESM one) of the class would create.
    const foreign = Object.assign(new Error('x'), { [Symbol.for('ticketflow.error.non_retryable')]: true });
    expect(NonRetryableError.isInstance(foreign)).toBe(true);
    expect(NonRetryableError.isInstance(new Error('plain'))).toBe(false);
    expect(NonRetryableError.isInstance(null)).toBe(false);
  });

  it('ctx.call with a tool name instead of the tool object says to pass the object, not that the tool is unlisted', async () => {
    const intent = defineIntent({ name: 'check' });
    const tool = defineTool({ name: 'check_line', input: z.object({}), output: z.object({}), run: () => ({}) });
    const workflow = defineWorkflow({
      name: 'check_flow',
      intent,
      required: [],
      tools: [tool],
      run: async (ctx) => {
        await ctx.call('check_line' as never, {} as never);
        return { status: 'resolved', reply: 'ok' };
      },
    });
    const llm = new MockLLM();
    const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [intent], workflows: [workflow] });
    llm.enqueue({ intent: 'check', confidence: 0.9 });
    const result = await agent.handle({ ticketId: 'EP-1', message: 'check my line' });
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'failed' });
    const reason = (result.action as { reason?: string }).reason ?? '';
    expect(reason).toContain('ctx.call takes the tool object defineTool returned, not the name "check_line"');
    expect(reason).not.toContain('does not list');
  });
});
