import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@ticketflow/core';
import { createHarness } from '../support/agent-harness.js';
import { gate, sleep, typesOf, waitFor } from './helpers.js';

/**
 * O3 and O5 (issue 12.11): listeners observe; they never break or delay a turn — `handle`
 * resolves before any listener runs, synchronous or not — and they still receive every hook.
 * Order is recorded with flags, not measured in wall time.
 */
const fiberDown = { intent: 'no_internet', confidence: 0.95, entities: { service_type: 'fiber', region: 'Hamburg' } };

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // a synchronous listener hogging the thread
  }
}

describe('hooks are observers (O3, O5)', () => {
  it('O5 a synchronous listener that busy-waits 300 ms runs only after handle resolved', async () => {
    const { agent, llm } = createHarness();
    llm.enqueue(fiberDown);
    let resolved = false;
    const seen: { hook: string; afterResolve: boolean }[] = [];
    const done = gate();
    agent.on('ticket.event', () => {
      seen.push({ hook: 'ticket.event', afterResolve: resolved });
      if (seen.length === 1) busyWait(300);
    });
    agent.on('decision', () => {
      seen.push({ hook: 'decision', afterResolve: resolved });
      busyWait(300);
    });
    agent.on('execution.completed', () => {
      seen.push({ hook: 'execution.completed', afterResolve: resolved });
    });
    agent.on('turn.completed', () => {
      seen.push({ hook: 'turn.completed', afterResolve: resolved });
      busyWait(300);
      done.open();
    });
    const result = await agent.handle({ ticketId: 'H-1', message: 'fiber down in Hamburg' }).then((value) => {
      resolved = true;
      return value;
    });
    expect(seen).toEqual([]);
    await done.promise;
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.filter((entry) => !entry.afterResolve)).toEqual([]);
    expect(new Set(seen.map((entry) => entry.hook))).toEqual(new Set(['ticket.event', 'decision', 'execution.completed', 'turn.completed']));
  });

  it('O5 an asynchronous listener that never settles does not hold handle, approve or recover', async () => {
    const { agent, llm } = createHarness();
    let called = 0;
    for (const hook of ['ticket.event', 'turn.completed', 'decision', 'approval.requested'] as const) {
      agent.on(hook, () => {
        called += 1;
        return new Promise(() => undefined);
      });
    }
    llm.enqueue(
      { intent: 'billing_dispute', confidence: 0.9, entities: { account_type: 'business', amount: 80 } },
      { intent: null, confidence: 0.2, entities: { confirm: true } },
    );
    await agent.handle({ ticketId: 'H-2', message: 'refund 80' });
    const paused = await agent.handle({ ticketId: 'H-2', message: 'yes' });
    expect(paused.action).toMatchObject({ outcome: 'awaiting_approval' });
    const approved = await agent.approve('H-2', { by: 'supervisor-1' });
    expect(approved.action).toMatchObject({ outcome: 'resolved' });
    await agent.recover();
    await waitFor(() => called > 0, 2_000, 'the listeners');
  });

  it('O3 a throwing listener is reported on listener.failed; the other listeners of that hook still run; the turn is unaffected', async () => {
    const warnings: unknown[] = [];
    const { agent, llm } = createHarness({ logger: { warn: (object) => warnings.push(object), error: () => undefined } });
    llm.enqueue(fiberDown);
    const failed: { hook: string; error: unknown }[] = [];
    const after: string[] = [];
    agent.on('listener.failed', (event) => {
      failed.push(event);
      throw new Error('the failure listener fails too');
    });
    agent.on('turn.completed', () => {
      throw new Error('listener bug');
    });
    agent.on('turn.completed', () => {
      after.push('second listener');
    });
    agent.on('decision', async () => {
      await sleep(1);
      throw new Error('async listener bug');
    });
    const result = await agent.handle({ ticketId: 'H-3', message: 'fiber down' });
    expect(result.action).toMatchObject({ outcome: 'resolved' });
    await waitFor(() => failed.length >= 2, 2_000, 'both failures');
    expect(failed.map((event) => event.hook).sort()).toEqual(['decision', 'turn.completed']);
    expect(failed.map((event) => (event.error as Error).message).sort()).toEqual(['async listener bug', 'listener bug']);
    expect(after).toEqual(['second listener']);
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    // The next turn works normally.
    expect((await agent.handle({ ticketId: 'H-3', message: 'thanks' })).action).toEqual({ type: 'acknowledge' });
  });

  it('O1 O5 listeners receive every hook: ticket.event once per committed event in order, decision and turn.completed once per turn', async () => {
    const { agent, llm } = createHarness();
    const events: { ticketId: string; type: string }[] = [];
    const hooks: string[] = [];
    agent.on('ticket.event', (event) => events.push({ ticketId: event.ticketId, type: event.event.type }));
    for (const hook of ['decision', 'turn.completed', 'execution.completed', 'approval.requested', 'execution.failed', 'turn.degraded'] as const) {
      agent.on(hook, () => hooks.push(hook));
    }
    llm.enqueue(fiberDown);
    await agent.handle({ ticketId: 'H-4', message: 'fiber down' });
    llm.enqueue(
      { intent: 'billing_dispute', confidence: 0.9, entities: { account_type: 'business', amount: 80 } },
      { intent: null, confidence: 0.2, entities: { confirm: true } },
    );
    await agent.handle({ ticketId: 'H-4', message: 'refund 80' });
    await agent.handle({ ticketId: 'H-4', message: 'yes' });
    await agent.approve('H-4', { by: 'supervisor-1' });
    llm.failNext('unavailable', 3);
    await agent.handle({ ticketId: 'H-4', message: 'hello?' });
    await sleep(20);
    const { events: stored } = await agent.inspect('H-4');
    expect(events.every((event) => event.ticketId === 'H-4')).toBe(true);
    expect(events.map((event) => event.type)).toEqual(typesOf(stored));
    expect(hooks.filter((hook) => hook === 'decision')).toHaveLength(3);
    expect(hooks.filter((hook) => hook === 'turn.completed')).toHaveLength(4);
    expect(hooks.filter((hook) => hook === 'execution.completed')).toHaveLength(2);
    expect(hooks.filter((hook) => hook === 'approval.requested')).toHaveLength(1);
    expect(hooks.filter((hook) => hook === 'turn.degraded')).toHaveLength(1);
  });

  it('O3 a misspelt hook name or a listener that is not a function is an InvalidArgumentError (a listener that could never fire is not accepted silently)', () => {
    const { agent } = createHarness();
    const on = agent.on.bind(agent) as (name: string, listener: unknown) => () => void;
    const thrown = (call: () => unknown) => {
      try {
        call();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(() => on('turn.complete', () => undefined)).toThrow(/"turn.complete" is not a hook — did you mean "turn.completed"\?/);
    expect(() => on('turn.completed', 'not a function')).toThrow(/the listener of "turn.completed" must be a function/);
    expect(InvalidArgumentError.isInstance(thrown(() => on('turn.complete', () => undefined)))).toBe(true);
    expect(InvalidArgumentError.isInstance(thrown(() => on('turn.completed', null)))).toBe(true);
    expect(typeof agent.on('listener.failed', () => undefined)).toBe('function');
  });

  it('O3 on() returns the unsubscribe function and off() removes a listener', async () => {
    const { agent, llm } = createHarness();
    const calls: string[] = [];
    const first = () => calls.push('first');
    const second = () => calls.push('second');
    const unsubscribe = agent.on('turn.completed', first);
    agent.on('turn.completed', second);
    llm.enqueue(fiberDown);
    await agent.handle({ ticketId: 'H-5', message: 'fiber down' });
    await sleep(10);
    expect(calls).toEqual(['first', 'second']);
    unsubscribe();
    agent.off('turn.completed', second);
    await agent.handle({ ticketId: 'H-5', message: 'thanks' });
    await sleep(10);
    expect(calls).toEqual(['first', 'second']);
  });
});
