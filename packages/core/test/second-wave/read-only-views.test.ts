import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryTicketStore, type WorkflowContext } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';

/**
 * `ctx.ticket` (and the ticket an approval predicate sees) shared the objects of the document
 * the engine was about to commit: a workflow that pushed a transcript entry or changed a slot
 * value through it changed the stored ticket, past every schema, event and provenance (O2, S4).
 * App code now reads frozen copies: a write throws, the execution fails (E3), the ticket keeps
 * what the engine wrote.
 */
function world(
  run: (ctx: WorkflowContext) => Promise<void>,
  requiresApproval?: (input: unknown, context: { ticket: unknown; previousCalls: unknown }) => boolean,
) {
  const region = defineSlot({ name: 'region', schema: z.string(), question: 'Which city are you in?' });
  const intent = defineIntent({ name: 'no_internet', description: 'Internet does not work' });
  const ran: string[] = [];
  const reset = defineTool({
    name: 'reset_line',
    input: z.object({ region: z.string() }),
    output: z.object({ ok: z.boolean() }),
    run: async (input) => (ran.push(input.region), { ok: true }),
    ...(requiresApproval ? { requiresApproval: requiresApproval as () => boolean } : {}),
  });
  const workflow = defineWorkflow({
    name: 'fix_internet',
    intent,
    required: [region],
    tools: [reset],
    run: async (ctx) => {
      await run(ctx as unknown as WorkflowContext);
      await ctx.call(reset, { region: ctx.slots.region });
      return { status: 'resolved', reply: 'Fixed.' };
    },
  });
  const llm = new MockLLM({ fallback: { intent: 'no_internet', confidence: 0.9, entities: { region: 'Berlin' } } });
  const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [intent], workflows: [workflow] });
  return { agent, ran };
}

describe('what app code reads of the ticket during a run', () => {
  it('E3 O2 a write through ctx.ticket throws and fails the execution; the stored ticket keeps what the engine wrote', async () => {
    const writes: [string, (ctx: WorkflowContext) => void][] = [
      ['a transcript entry pushed', (ctx) => void (ctx.ticket.transcript as unknown[]).push({ role: 'agent', text: 'injected' })],
      ['a slot value changed', (ctx) => void ((ctx.ticket.slots.region as { value: unknown }).value = 'Hacked')],
      ['the status changed', (ctx) => void ((ctx.ticket as { status: string }).status = 'resolved')],
      ['the transcript emptied', (ctx) => void ((ctx.ticket.transcript as unknown[]).length = 0)],
    ];
    for (const [label, write] of writes) {
      const { agent, ran } = world(async (ctx) => write(ctx));
      const result = await agent.handle({ ticketId: 'T-1', message: 'no internet at home', messageId: 'm-1' });
      expect(result.action, label).toMatchObject({ type: 'execute', outcome: 'failed' });
      expect(ran, label).toEqual([]);
      const ticket = await agent.getTicket('T-1');
      expect(ticket?.transcript.map((entry) => entry.text)[0], label).toBe('no internet at home');
      expect(JSON.stringify(ticket), label).not.toContain('injected');
      expect(ticket?.slots.region?.value, label).toBe('Berlin');
      expect(ticket?.status, label).toBe('open');
    }
  });

  it('E3 reading ctx.ticket works as before', async () => {
    const seen: unknown[] = [];
    const { agent, ran } = world(async (ctx) => void seen.push(ctx.ticket.status, ctx.ticket.transcript.at(-1)?.text, ctx.ticket.slots.region?.value));
    const result = await agent.handle({ ticketId: 'T-2', message: 'no internet', messageId: 'm-1' });
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    expect(seen).toEqual(['executing', 'no internet', 'Berlin']);
    expect(ran).toEqual(['Berlin']);
  });

  it('an approval predicate that writes to its ticket or earlier calls fails closed and changes nothing', async () => {
    const { agent, ran } = world(
      async () => undefined,
      (_input, context) => {
        (context.ticket as { status: string }).status = 'resolved';
        return false;
      },
    );
    const result = await agent.handle({ ticketId: 'T-3', message: 'no internet', messageId: 'm-1' });
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'awaiting_approval' });
    expect(ran).toEqual([]);
    expect((await agent.getTicket('T-3'))?.status).toBe('awaiting_approval');
  });
});

describe('object values of slots that app code receives', () => {
  it('S2 O2 changing an object slot value in run, when or infer.derive changes a copy, never the ticket', async () => {
    const address = defineSlot({ name: 'address', schema: z.any(), question: 'Your address?' });
    const region = defineSlot({
      name: 'region',
      schema: z.string(),
      question: 'Which region?',
      infer: {
        from: ['address'],
        derive: (known) => {
          const value = known.address as { city: string };
          value.city = 'changed by derive';
          return 'North';
        },
      },
    });
    const intent = defineIntent({ name: 'move', description: 'The customer moves house' });
    const workflow = defineWorkflow({
      name: 'move',
      intent,
      required: [address, region],
      when: (slots) => {
        (slots.address as { city: string }).city = 'changed by when';
        return true;
      },
      run: async (ctx) => {
        (ctx.slots.address as { city: string }).city = 'changed by run';
        return { status: 'resolved', reply: 'Moved.' };
      },
    });
    const other = defineWorkflow({ name: 'move_abroad', intent, when: () => false, run: async () => ({ status: 'resolved', reply: 'Abroad.' }) });
    const llm = new MockLLM({ fallback: { intent: 'move', confidence: 0.9, entities: { address: { city: 'Berlin' } } } });
    const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [intent], workflows: [other, workflow], slots: [region] });
    const result = await agent.handle({ ticketId: 'T-4', message: 'I am moving', messageId: 'm-1' });
    expect(result.action).toMatchObject({ type: 'execute', workflow: 'move', outcome: 'resolved' });
    const ticket = await agent.getTicket('T-4');
    expect(ticket?.slots.address?.value).toEqual({ city: 'Berlin' });
    expect(ticket?.slots.region).toMatchObject({ value: 'North', source: 'inferred' });
  });
});
