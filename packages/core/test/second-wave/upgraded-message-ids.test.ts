import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineWorkflow, InvalidArgumentError, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';

/**
 * T7 on a document upgraded from schema 1 (found by the upgrade audit). The older engine kept
 * only a window of 50 processed messages, without text fingerprints, and no filter of the ids
 * that left it. After the upgrade, a resend of such an id was processed again (it reverted a
 * correction), and a window id resent with another text was taken as a duplicate. The filter
 * is now rebuilt from the event log at the first lookup, and window entries without a
 * fingerprint are checked against the log's text.
 */
async function upgradedWorld(turns: number) {
  const region = defineSlot({ name: 'region', schema: z.string(), question: 'Which city?' });
  const outage = defineIntent({ name: 'outage', description: 'The internet is down' });
  const checks: string[] = [];
  const workflow = defineWorkflow({
    name: 'check_outage',
    intent: outage,
    required: [region],
    run: async (context) => {
      checks.push(context.slots.region);
      return { status: 'resolved', reply: `No outage in ${context.slots.region}.` };
    },
  });
  const store = new MemoryTicketStore();
  // What the older engine left: a schema-1 document (window of 50, no fingerprints, no filter) and its event log.
  const at = '2026-11-20T10:00:00.000Z';
  const events = [];
  const processed = [];
  for (let turn = 1; turn <= turns; turn += 1) {
    const messageId = `m-${turn}`;
    const action = { type: 'acknowledge' };
    events.push({ type: 'message.received', at, data: { turn, messageId, text: `message ${turn}` } });
    events.push({ type: 'decision.made', at, data: { turn, intent: null, confidence: 0.2, entities: {} } });
    events.push({ type: 'turn.completed', at, data: { turn, messageId, reply: `reply ${turn}`, action } });
    processed.push({ messageId, turn, reply: `reply ${turn}`, action, decision: { intent: null, confidence: 0.2, entities: {} } });
  }
  const legacy = {
    schemaVersion: 1,
    id: 'UP-1',
    status: 'open',
    turn: turns,
    intent: null,
    workflow: null,
    slots: {},
    transcript: [],
    createdAt: at,
    updatedAt: at,
    usage: { llmCalls: turns, inputTokens: 0, outputTokens: 0, estimatedCost: 0 },
    processed: processed.slice(-50),
    outcomes: {},
    deferred: [],
    pending: null,
    confirmation: null,
    execution: null,
  };
  const created = await store.commit({ ticketId: 'UP-1', expectedVersion: null, ticket: legacy as never, events: events as never });
  expect(created.ok).toBe(true);
  const llm = new MockLLM({ fallback: { intent: 'outage', confidence: 0.95, entities: { region: 'Paris' } } });
  const agent = createAgent({ store, llm, intents: [outage], workflows: [workflow] });
  return { agent, store, checks };
}

describe('T7 on a ticket upgraded from the older engine', () => {
  it('T7 a resend of an id that left the old window is answered from the log, once the filter is rebuilt from it', async () => {
    const { agent, store, checks } = await upgradedWorld(80);
    const resent = await agent.handle({ ticketId: 'UP-1', message: 'message 3', messageId: 'm-3' });
    expect(resent.duplicate).toBe(true);
    expect(resent.reply).toBe('reply 3');
    // A new message is processed, and its commit stores the rebuilt filter: a later resend needs no rebuild.
    const fresh = await agent.handle({ ticketId: 'UP-1', message: 'no internet in Paris', messageId: 'new-1' });
    expect(fresh.duplicate).toBe(false);
    expect(checks).toEqual(['Paris']);
    const stored = await store.load('UP-1');
    expect((stored!.ticket as { seen: string }).seen).not.toBe('?');
    expect((stored!.ticket as { seen: string }).seen).not.toBe('');
    const again = await agent.handle({ ticketId: 'UP-1', message: 'message 7', messageId: 'm-7' });
    expect([again.duplicate, again.reply]).toEqual([true, 'reply 7']);
  });

  it('T7 an id of the old window resent with another text is refused (its text is in the log), the same text is a duplicate', async () => {
    const { agent } = await upgradedWorld(80);
    await expect(agent.handle({ ticketId: 'UP-1', message: 'something else', messageId: 'm-79' })).rejects.toSatisfy(
      (error: unknown) => InvalidArgumentError.isInstance(error) && error.code === 'message_id_reused',
    );
    const same = await agent.handle({ ticketId: 'UP-1', message: 'message 79', messageId: 'm-79' });
    expect([same.duplicate, same.reply]).toEqual([true, 'reply 79']);
  });
});
