import { describe, expect, it } from 'vitest';
import { createAgent, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { createTestDomain } from '../support/test-domain.js';
import { eventsOf, sleep } from './helpers.js';

/**
 * Issue 13.4: a provider that always answers garbage (invalid JSON, or JSON that fails the
 * decision schema) opens its circuit — an event and a hook with the cause — and then costs no
 * call; a skipped provider is recorded even when a later one answers; a successful probe after
 * the cool-down closes the circuit.
 */
const decision = { intent: 'no_internet', confidence: 0.9, entities: {} };

function chain(garbage: string, options: { threshold?: number; cooldownMs?: number } = {}) {
  const domain = createTestDomain();
  let clock = Date.parse('2026-01-01T00:00:00Z');
  let healed = false;
  const bad = new MockLLM({ name: 'garbage', respond: () => (healed ? JSON.stringify(decision) : garbage) });
  const good = new MockLLM({ name: 'good', fallback: decision });
  const agent = createAgent({
    store: new MemoryTicketStore(),
    llm: [bad, good],
    intents: domain.intents,
    workflows: domain.workflows,
    slots: domain.extraSlots,
    circuitBreaker: { failureThreshold: options.threshold ?? 3, cooldownMs: options.cooldownMs ?? 60_000 },
    llmRetry: { retries: 0 },
    now: () => clock,
  });
  const opened: unknown[] = [];
  const closed: unknown[] = [];
  agent.on('llm.circuit_opened', (event) => opened.push(event));
  agent.on('llm.circuit_closed', (event) => closed.push(event));
  return {
    agent,
    bad,
    good,
    opened,
    closed,
    advance: (ms: number) => (clock += ms),
    heal: () => (healed = true),
  };
}

describe('circuit breaker for a provider that answers garbage (issue 13.4)', () => {
  for (const [label, garbage] of [
    ['invalid JSON', 'Sure! I think the customer has no internet.'],
    ['JSON that fails the decision schema', '{"intent": 5, "confidence": "very high", "entities": []}'],
  ] as const) {
    it(`L2 a provider answering ${label} opens its circuit after the threshold, with an event and a hook naming the cause`, async () => {
      const world = chain(garbage);
      let openedAt = -1;
      for (let turn = 1; turn <= 4 && openedAt < 0; turn += 1) {
        const result = await world.agent.handle({ ticketId: 'CB-1', message: `turn ${turn}` });
        expect(result.action.type, 'the second provider answers').not.toBe('fallback');
        const { events } = await world.agent.inspect('CB-1');
        if (eventsOf(events, 'llm.circuit_opened').length > 0) openedAt = turn;
      }
      expect(openedAt).toBeGreaterThan(0);
      const { events } = await world.agent.inspect('CB-1');
      const opened = eventsOf(events, 'llm.circuit_opened');
      expect(opened).toHaveLength(1);
      expect(opened[0]!.data).toMatchObject({ provider: 'garbage', failures: 3 });
      expect(opened[0]!.data.cause).toMatch(/invalid_output/);
      await sleep(10);
      expect(world.opened).toHaveLength(1);
      expect(world.opened[0]).toMatchObject({ ticketId: 'CB-1', provider: 'garbage', cause: expect.stringMatching(/invalid_output/) });

      // Open: the garbage provider costs no call, and each turn records that it was skipped.
      const calls = world.bad.callCount;
      for (let turn = 1; turn <= 3; turn += 1) {
        const result = await world.agent.handle({ ticketId: 'CB-1', message: `open turn ${turn}` });
        expect(result.decision).not.toBeNull();
      }
      expect(world.bad.callCount).toBe(calls);
      const after = (await world.agent.inspect('CB-1')).events;
      const skipped = eventsOf(after, 'llm.skipped');
      expect(skipped).toHaveLength(3);
      for (const event of skipped) expect(event.data).toEqual({ provider: 'garbage', reason: 'circuit_open' });
      const decided = eventsOf(after, 'decision.made').slice(-3);
      for (const event of decided) expect(event.data.provider).toBe('good');
    });
  }

  it('L2 a successful probe after the cool-down closes the circuit (event and hook); the provider answers again', async () => {
    const world = chain('not json');
    for (let turn = 1; turn <= 3; turn += 1) await world.agent.handle({ ticketId: 'CB-2', message: `turn ${turn}` });
    expect((await world.agent.inspect('CB-2')).events.some((event) => event.type === 'llm.circuit_opened')).toBe(true);
    world.advance(60_001);
    world.heal();
    const calls = world.bad.callCount;
    const probed = await world.agent.handle({ ticketId: 'CB-2', message: 'probe turn' });
    expect(world.bad.callCount).toBe(calls + 1);
    const { events } = await world.agent.inspect('CB-2');
    expect(eventsOf(events, 'llm.circuit_closed').map((event) => event.data)).toEqual([{ provider: 'garbage', cause: 'probe_succeeded' }]);
    expect(eventsOf(events, 'decision.made').at(-1)!.data.provider).toBe('garbage');
    expect(probed.action.type).not.toBe('fallback');
    await sleep(10);
    expect(world.closed).toEqual([{ ticketId: 'CB-2', provider: 'garbage', cause: 'probe_succeeded' }]);
    // Closed again: no skip recorded on the next turn.
    await world.agent.handle({ ticketId: 'CB-2', message: 'next turn' });
    const later = (await world.agent.inspect('CB-2')).events;
    expect(eventsOf(later, 'llm.skipped').length).toBe(eventsOf(events, 'llm.skipped').length);
  });

  it('L2 a failed probe opens the circuit again for another cool-down', async () => {
    const world = chain('not json');
    for (let turn = 1; turn <= 3; turn += 1) await world.agent.handle({ ticketId: 'CB-3', message: `turn ${turn}` });
    world.advance(60_001);
    const calls = world.bad.callCount;
    await world.agent.handle({ ticketId: 'CB-3', message: 'probe turn' });
    // One probe (and at most its one re-ask), then open again: the next turn costs nothing.
    expect(world.bad.callCount - calls).toBeGreaterThanOrEqual(1);
    expect(world.bad.callCount - calls).toBeLessThanOrEqual(2);
    const reopened = world.bad.callCount;
    await world.agent.handle({ ticketId: 'CB-3', message: 'after the probe' });
    expect(world.bad.callCount).toBe(reopened);
    const { events } = await world.agent.inspect('CB-3');
    expect(eventsOf(events, 'llm.circuit_opened')).toHaveLength(2);
  });

  it('L2 with every circuit open the turn degrades at once: fallback, every provider recorded as skipped, no call', async () => {
    const domain = createTestDomain();
    const only = new MockLLM({ name: 'only', respond: () => 'garbage' });
    const agent = createAgent({
      store: new MemoryTicketStore(),
      llm: only,
      intents: domain.intents,
      workflows: domain.workflows,
      slots: domain.extraSlots,
      circuitBreaker: { failureThreshold: 2, cooldownMs: 60_000 },
      llmRetry: { retries: 0 },
    });
    for (let turn = 1; turn <= 2; turn += 1) {
      const result = await agent.handle({ ticketId: 'CB-4', message: `turn ${turn}` });
      expect(result.action).toMatchObject({ type: 'fallback' });
    }
    const calls = only.callCount;
    const degraded = await agent.handle({ ticketId: 'CB-4', message: 'while open' });
    expect(degraded.action).toMatchObject({ type: 'fallback' });
    expect(only.callCount).toBe(calls);
    const { events } = await agent.inspect('CB-4');
    expect(eventsOf(events, 'llm.skipped').at(-1)!.data).toEqual({ provider: 'only', reason: 'circuit_open' });
    expect(eventsOf(events, 'turn.degraded').length).toBe(3);
    expect(degraded.ticket.transcript.at(-2)).toMatchObject({ role: 'user', text: 'while open', actedOn: false });
  });
});

describe('back-off hints from a misbehaving provider or gateway', () => {
  for (const retryAfterMs of [1e13, 99_999_999_999_999_000, Number.NaN]) {
    it(`L2 T4 a rate limit hinting ${retryAfterMs} ms degrades the turn (kept, never thrown); a backup provider answers; the circuit reopens within maxHintMs`, async () => {
      const domain = createTestDomain();
      const now = Date.parse('2026-01-01T00:00:00Z');
      const limited = () => new MockLLM({ name: 'limited', respond: () => ({ error: 'rate_limited', retryAfterMs }) });
      const options = { store: new MemoryTicketStore(), intents: domain.intents, workflows: domain.workflows, slots: domain.extraSlots, now: () => now };
      const single = createAgent({ ...options, llm: limited(), llmRetry: { retries: 0 } });
      const alone = await single.handle({ ticketId: 'RA-1', message: 'my internet is down' });
      expect(alone.action).toEqual({ type: 'fallback', reason: 'rate_limited' });
      expect((await single.getTicket('RA-1'))?.transcript.map((entry) => entry.text)).toContain('my internet is down');
      const opened = eventsOf((await single.inspect('RA-1')).events, 'llm.circuit_opened');
      for (const event of opened) expect(Date.parse((event.data as { reopenAt: string }).reopenAt) - now).toBeLessThanOrEqual(600_000);

      const backed = createAgent({ ...options, store: new MemoryTicketStore(), llm: [limited(), new MockLLM({ name: 'good', fallback: decision })] });
      const answered = await backed.handle({ ticketId: 'RA-2', message: 'my internet is down' });
      expect(answered.action.type).not.toBe('fallback');
    });
  }
});
