import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { recordingStore } from './helpers.js';

const SECRET = 'Hippopotamus77';
const CARD = '4111 1111 1111 1111';
const NOTE = `the customer read me ${SECRET} and card ${CARD}`;

/**
 * Free text that reaches the event log from someone other than the customer — a person's note on
 * `approve`, `reject` or `release`, a question a workflow writes for `ctx.ask` — was stored and
 * evented as written, so a memorable word quoted back or a card number pasted in sat in the
 * event log in clear (only `inspect` masked it on the way out). It is now redacted (P2) and
 * masked of the ticket's sensitive values (P1) before it is stored, like a customer's message.
 */
function operatorWorld(mode: 'approval' | 'needs_human') {
  const word = defineSlot({ name: 'memorable_word', schema: z.string(), question: 'Your memorable word?', sensitive: true });
  const intent = defineIntent({ name: 'refund', description: 'The customer wants money back' });
  const refund = defineTool({
    name: 'refund',
    input: z.object({}),
    output: z.object({ ok: z.boolean() }),
    run: async () => ({ ok: true }),
    compensate: async () => {
      throw new Error('the refund cannot be taken back');
    },
    requiresApproval: mode === 'approval',
  });
  const notify = defineTool({
    name: 'notify',
    input: z.object({}),
    output: z.object({}),
    run: async () => {
      throw new Error('the mailer is down');
    },
  });
  const workflow = defineWorkflow({
    name: 'refund',
    intent,
    required: [word],
    tools: [refund, notify],
    run: async (ctx) => {
      await ctx.call(refund, {});
      await ctx.call(notify, {});
      return { status: 'resolved', reply: 'Refunded.' };
    },
  });
  const recording = recordingStore(new MemoryTicketStore());
  const llm = new MockLLM({ fallback: { intent: 'refund', confidence: 0.9, entities: { memorable_word: SECRET } } });
  const agent = createAgent({ store: recording.store, llm, intents: [intent], workflows: [workflow], encryptionKey: randomBytes(32).toString('base64') });
  const hooks: string[] = [];
  agent.on('ticket.event', (event) => hooks.push(JSON.stringify(event)));
  return { agent, recording, hooks };
}

describe('notes of the people who approve, reject or release', () => {
  for (const [operation, mode] of [
    ['approve', 'approval'],
    ['reject', 'approval'],
    ['release', 'needs_human'],
  ] as const) {
    it(`P1 P2 a ${operation} note is stored and evented redacted and masked of the ticket's sensitive values`, async () => {
      const { agent, recording, hooks } = operatorWorld(mode);
      const first = await agent.handle({ ticketId: 'OP-1', message: `refund please, my word is ${SECRET}`, messageId: 'm-1' });
      expect(first.ticket.status).toBe(mode === 'approval' ? 'awaiting_approval' : 'needs_human');
      await agent[operation]('OP-1', { by: 'agent-7', note: NOTE });
      await new Promise((resolve) => setImmediate(resolve));
      const stored = JSON.stringify({ events: await recording.inner.events('OP-1'), commits: recording.commits.map((commit) => commit.request), hooks });
      expect(stored).not.toContain(SECRET);
      expect(stored).not.toContain(CARD);
      const { events } = await agent.inspect('OP-1');
      const noted = events.find((event) => 'note' in (event.data ?? {}));
      expect(noted?.data).toMatchObject({ by: 'agent-7', note: 'the customer read me ****us77 and card ****1111' });
    });
  }
});

describe('a question the workflow writes for ctx.ask', () => {
  it('P1 P2 is kept and evented redacted and masked of the sensitive values it restates', async () => {
    const word = defineSlot({ name: 'memorable_word', schema: z.string(), question: 'Your memorable word?', sensitive: true });
    const agreed = defineSlot({ name: 'agreed', schema: z.enum(['yes', 'no']), question: 'Shall I go on?' });
    const intent = defineIntent({ name: 'refund', description: 'The customer wants money back' });
    const workflow = defineWorkflow({
      name: 'refund',
      intent,
      required: [word],
      asks: [agreed],
      run: async (ctx) => {
        const answer = await ctx.ask(agreed, { question: `Is your word ${ctx.slots.memorable_word}, and the card ${CARD}?` });
        return { status: 'resolved', reply: `You said ${answer}.` };
      },
    });
    const recording = recordingStore(new MemoryTicketStore());
    const llm = new MockLLM({ fallback: { intent: 'refund', confidence: 0.9, entities: { memorable_word: SECRET } } });
    const agent = createAgent({ store: recording.store, llm, intents: [intent], workflows: [workflow], encryptionKey: randomBytes(32).toString('base64') });
    const hooks: string[] = [];
    agent.on('ticket.event', (event) => hooks.push(JSON.stringify(event)));
    const asked = await agent.handle({ ticketId: 'Q-1', message: `refund please, my word is ${SECRET}`, messageId: 'm-1' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked.action).toMatchObject({ type: 'ask', slot: 'agreed', question: 'Is your word ****us77, and the card ****1111?' });
    expect(asked.reply).toBe('Is your word ****us77, and the card ****1111?');
    const stored = JSON.stringify({ asked, events: await recording.inner.events('Q-1'), commits: recording.commits.map((commit) => commit.request), hooks });
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(CARD);
  });
});
