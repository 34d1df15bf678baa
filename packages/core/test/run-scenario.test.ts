import { describe, expect, it } from 'vitest';
import { runScenario, ScenarioError } from '@ticketflow/core/testing';
import { createHarness } from './support/agent-harness.js';

describe('runScenario', () => {
  it('plays a conversation and checks each turn', async () => {
    const { agent, llm } = createHarness();
    const results = await runScenario(agent, 'S-1', [
      {
        say: 'my fiber is down',
        before: () => void llm.enqueue({ intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber' } }),
        expect: { action: { type: 'ask', slot: 'region' }, slots: { service_type: 'fiber' }, intent: 'no_internet', status: 'collecting' },
      },
      {
        say: 'Hamburg',
        before: () => void llm.enqueue({ intent: null, confidence: 0, entities: { region: 'Hamburg' } }),
        expect: { action: { type: 'execute', outcome: 'resolved' }, reply: /modem/, status: 'resolved' },
      },
    ]);
    expect(results).toHaveLength(2);
  });

  it('reports every mismatch of the failing step', async () => {
    const { agent, llm } = createHarness();
    const failure = await runScenario(agent, 'S-2', [
      { say: 'hello', before: () => void llm.enqueue({ intent: null, confidence: 0.1 }), expect: { action: 'execute', intent: 'no_internet', missing: [] } },
    ]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ScenarioError);
    expect((failure as ScenarioError).problems).toHaveLength(2);
    expect((failure as ScenarioError).step).toBe(1);
  });
});
