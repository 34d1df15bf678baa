import { describe, expect, it } from 'vitest';
import { ConfigurationError, createAgent, defineIntent, defineWorkflow, InvalidArgumentError, MemoryTicketStore, replayTicket } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { createHarness } from '../support/agent-harness.js';

/**
 * Bad arguments to the fleet operations and to `replayTicket` are programmer errors: a typed
 * `InvalidArgumentError` naming the problem (and the closest valid name), before any store is
 * touched — never a `StoreError` (which an app answers "try again later"), a `TypeError` from
 * deep inside, or a silently ignored option.
 */
async function refusal(call: () => Promise<unknown>): Promise<unknown> {
  return call().then(
    () => 'no error',
    (error: unknown) => error,
  );
}

describe('arguments of list, recover, purge and replayTicket', () => {
  it('agent.list refuses a misspelt option, a bad limit, a foreign cursor and an unknown status with InvalidArgumentError', async () => {
    const { agent } = createHarness();
    const cases: [unknown, RegExp][] = [
      [{ stauts: 'open' }, /unknown list query option "stauts" — did you mean "status"\?/],
      [{ limit: '20' }, /limit must be an integer from 1 to 1000/],
      [{ cursor: 'garbage' }, /cursor is not one this store returned/],
      [{ status: 'bogus' }, /unknown status "bogus"/],
      [{ status: 'needs-human' }, /did you mean "needs_human"\?/],
      ['open', /list query must be an object/],
    ];
    for (const [query, message] of cases) {
      const error = await refusal(() => agent.list(query as never));
      expect(InvalidArgumentError.isInstance(error), JSON.stringify(query)).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe('query');
      expect((error as Error).message).toMatch(message);
    }
    await expect(agent.list({ status: ['open', 'needs_human'], limit: 5 })).resolves.toEqual({ tickets: [], cursor: null });
  });

  it('agent.recover and agent.purge refuse misspelt options instead of ignoring them', async () => {
    const { agent } = createHarness();
    for (const [call, message] of [
      [() => agent.recover({ limt: 5 } as never), /unknown option "limt" — did you mean "limit"\?/],
      [() => agent.recover('all' as never), /must be an object/],
      [() => agent.recover({ limit: 0 }), /integer from 1 to 10,000/],
      [() => agent.purge({ olderThanMs: 1, limt: 2 } as never), /unknown option "limt" — did you mean "limit"\?/],
      [() => agent.purge({ olderThanMs: 1, limit: 0 }), /positive integer/],
      [() => agent.purge({ olderThan: 5 } as never), /did you mean "olderThanMs"\?/],
    ] as const) {
      const error = await refusal(call);
      expect(InvalidArgumentError.isInstance(error), String(call)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
    await expect(agent.recover({ limit: 5 })).resolves.toMatchObject({ recovered: 0 });
    await expect(agent.purge({ olderThanMs: 1, limit: 2 })).resolves.toBe(0);
  });

  it('agent.purge with an age older than any date purges nothing (no RangeError)', async () => {
    const { agent } = createHarness();
    await agent.handle({ ticketId: 'OLD-1', message: 'hello' });
    for (const olderThanMs of [Number.MAX_SAFE_INTEGER, 1e300]) await expect(agent.purge({ olderThanMs })).resolves.toBe(0);
    expect(await agent.getTicket('OLD-1')).not.toBeNull();
  });

  it('replayTicket refuses missing or misspelt options with a typed error naming replayTicket', async () => {
    const { domain } = createHarness();
    const store = new MemoryTicketStore();
    const definitions = { intents: domain.intents, workflows: domain.workflows, slots: domain.extraSlots };
    const invalid: [() => Promise<unknown>, string, RegExp][] = [
      [() => replayTicket(undefined as never), 'options', /must be an object/],
      [() => replayTicket({ ticketId: 'T-1', ...definitions } as never), 'store', /TicketStore/],
      [() => replayTicket({ store, ticketID: 'T-1', ...definitions } as never), 'options', /did you mean "ticketId"\?/],
      [() => replayTicket({ store, ticketId: '', ...definitions }), 'ticketId', /1 to 1024 characters/],
      [() => replayTicket({ store, ticketId: 'T-1', confidenceTreshold: 0.1, ...definitions } as never), 'options', /did you mean "confidenceThreshold"\?/],
    ];
    for (const [call, argument, message] of invalid) {
      const error = await refusal(call);
      expect(InvalidArgumentError.isInstance(error), String(call)).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe(argument);
      expect((error as Error).message).toMatch(message);
    }
    const recorded = createHarness();
    recorded.llm.enqueue({ intent: 'no_internet', confidence: 0.9 });
    await recorded.agent.handle({ ticketId: 'T-1', message: 'internet down' });
    const badDefinitions = await refusal(() => replayTicket({ store: recorded.store, ticketId: 'T-1', intents: 'x' as never, workflows: [] }));
    expect(ConfigurationError.isInstance(badDefinitions)).toBe(true);
    expect((badDefinitions as Error).message).toMatch(/^Invalid replayTicket options and definitions/);
  });
});

describe('replayTicket with the agent timing', () => {
  it("replayTicket takes the agent's executionTimeoutMs, so a run the agent cut short is cut short alike (same action)", async () => {
    const stuck = defineIntent({ name: 'stuck', description: 'never ends' });
    const workflow = defineWorkflow({ name: 'never_returns', intent: stuck, required: [], run: () => new Promise<never>(() => undefined) });
    const store = new MemoryTicketStore();
    const llm = new MockLLM();
    const agent = createAgent({ store, llm, intents: [stuck], workflows: [workflow], executionTimeoutMs: 200 });
    llm.enqueue({ intent: 'stuck', confidence: 0.9 });
    const recorded = await agent.handle({ ticketId: 'RT-1', message: 'go' });
    expect(recorded.action).toMatchObject({ type: 'execute', outcome: 'failed' });
    const report = await replayTicket({ store, ticketId: 'RT-1', intents: [stuck], workflows: [workflow], executionTimeoutMs: 200 });
    expect(report.turns[0]!.replayed.action).toEqual(recorded.action);
    expect(report.diverged).toBe(false);
  });
});
