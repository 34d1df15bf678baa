import { describe, expect, it } from 'vitest';
import { createHarness } from './support/agent-harness.js';

describe('observability', () => {
  it('O1 every decision is inspectable: intent, confidence, entities, workflow, next action, model, latency and tokens', async () => {
    const { agent, llm } = createHarness();
    llm.enqueue({ intent: 'no_internet', confidence: 0.93, entities: { service_type: 'fiber' } });
    await agent.handle({ ticketId: 'O1', message: 'fiber internet is down' });
    const { ticket, events } = await agent.inspect('O1');
    const decision = events.find((event) => event.type === 'decision.made');
    expect(decision?.data).toMatchObject({
      intent: 'no_internet',
      confidence: 0.93,
      entities: { service_type: 'fiber' },
      workflow: 'fiber_troubleshoot',
      nextAction: { type: 'ask', slot: 'region' },
      provider: 'mock',
      model: 'mock-1',
      latencyMs: expect.any(Number),
      usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
    });
    expect(events.find((event) => event.type === 'llm.called')?.data).toMatchObject({ provider: 'mock', model: 'mock-1' });
    expect(ticket?.usage.llmCalls).toBe(1);
    expect(ticket?.usage.inputTokens).toBeGreaterThan(0);
  });

  it('O1 the decision hook fires once per decided turn with the action', async () => {
    const { agent, llm } = createHarness();
    const seen: unknown[] = [];
    agent.on('decision', (event) => seen.push(event));
    llm.enqueue({ intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber', region: 'Hamburg' } });
    await agent.handle({ ticketId: 'O1h', message: 'fiber down in Hamburg' });
    llm.failNext('unavailable', 3);
    await agent.handle({ ticketId: 'O1h', message: 'and?' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      ticketId: 'O1h',
      decision: { intent: 'no_internet' },
      action: { type: 'execute', outcome: 'resolved' },
      workflow: 'fiber_troubleshoot',
    });
  });

  it('O1 token usage and an estimated cost per ticket come from the price table', async () => {
    const { agent, llm } = createHarness({ llmPrices: { 'mock-1': { inputPerMillionTokens: 1_000_000, outputPerMillionTokens: 2_000_000 } } });
    llm.enqueue({ text: '{"intent":null,"confidence":0.1,"entities":{}}', usage: { inputTokens: 10, outputTokens: 5 } });
    const result = await agent.handle({ ticketId: 'O1c', message: 'hi' });
    expect(result.ticket.usage).toEqual({ llmCalls: 1, inputTokens: 10, outputTokens: 5, estimatedCost: 20 });
  });

  it('O2 a rolled-back execution explains each change in events', async () => {
    const { agent, llm, backend } = createHarness();
    backend.failTool('reset_modem', new Error('modem offline'));
    llm.enqueue({ intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber', region: 'Hamburg' } });
    await agent.handle({ ticketId: 'O2', message: 'fiber down in Hamburg' });
    const { events } = await agent.inspect('O2');
    const types = events.map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'intent.changed',
        'slot.set',
        'workflow.chosen',
        'execution.started',
        'step.started',
        'step.failed',
        'step.compensated',
        'execution.failed',
        'ticket.rolled_back',
      ]),
    );
    const statuses = events.filter((event) => event.type === 'status.changed').map((event) => [event.data?.from, event.data?.to]);
    expect(statuses).toEqual([
      ['open', 'executing'],
      ['executing', 'open'],
    ]);
  });

  it('O3 a throwing or slow listener never breaks or delays a turn, and is reported', async () => {
    const { agent, llm } = createHarness();
    const failures: string[] = [];
    agent.on('listener.failed', (event) => failures.push(event.hook));
    agent.on('decision', () => {
      throw new Error('listener bug');
    });
    agent.on('turn.completed', () => new Promise((resolve) => setTimeout(resolve, 10_000)));
    agent.on('turn.completed', async () => {
      throw new Error('async listener bug');
    });
    llm.enqueue({ intent: 'no_internet', confidence: 0.9 });
    const started = Date.now();
    const result = await agent.handle({ ticketId: 'O3', message: 'down' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(result.action).toMatchObject({ type: 'ask' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(failures.sort()).toEqual(['decision', 'turn.completed']);
    const unsubscribe = agent.on('ticket.event', () => undefined);
    unsubscribe();
  });
});
