import { MemoryTicketStore } from '@ticketflow/core';
import { describe, expect, it } from 'vitest';
import { createTelecomAgent } from '../create-telecom-agent.js';
import { MemoryEffectLedger } from './effect-ledger.js';
import { TelecomBackend } from './telecom-backend.js';

/**
 * Regression (found by the reliability suite, `reliability/`): a worker frozen in the
 * middle of a tool call, past its lease, while another worker recovered the execution,
 * used to apply its call after the compensation (an undo of a key that had not taken
 * effect yet was a no-op), leaving a credit in place on a rolled-back ticket.
 */
describe('a call that arrives after its execution was recovered elsewhere', () => {
  it('E4 is refused by the backend, so the recovered ticket keeps no effect', async () => {
    const store = new MemoryTicketStore();
    const ledger = new MemoryEffectLedger();
    // Worker 1's calls take 300 ms to reach the backend (a frozen process, a slow network).
    // Worker 2's clock is 90 s ahead and it tolerates 1 s of skew, so worker 1's 30 s lease
    // looks lapsed 60 s ago — more than twice the skew plus a lease: a claim abandoned by a
    // crash, taken over at once.
    const first = createTelecomAgent({ store, backend: new TelecomBackend({ latencyMs: 300, ledger }), instanceId: 'worker-1' });
    const second = createTelecomAgent({
      store,
      backend: new TelecomBackend({ latencyMs: 0, ledger }),
      instanceId: 'worker-2',
      now: () => Date.now() + 90_000,
      maxClockSkewMs: 1_000,
    });
    await second.agent.handle({ ticketId: 'Z', message: 'Upgrade me to Unlimited, personal account', messageId: 'm1' });

    const slow = first.agent.handle({ ticketId: 'Z', message: 'yes', messageId: 'm2' });
    // Wait until worker 1 journaled its first step: its call to the backend is on the way.
    while (!((await store.load('Z'))?.ticket as { execution?: { steps: unknown[] } | null }).execution?.steps.length)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const recovered = await second.agent.handle({ ticketId: 'Z', message: 'hello?', messageId: 'm3' });
    expect(recovered.ticket.execution).toBeNull();
    const late = await slow;

    expect(late.action).toMatchObject({ type: 'execute', outcome: 'failed' });
    const [run, ...undos] = first.backend.calls.map((call) => `${call.operation}:${call.kind}:${call.result}`);
    expect(run).toBe('change_plan:run:failed');
    expect(undos.length).toBeGreaterThan(0);
    expect(new Set(undos)).toEqual(new Set(['change_plan:undo:noop']));
    expect(ledger.list()).toEqual([]);
    const { events } = await second.agent.inspect('Z');
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['execution.recovery_started', 'step.compensated', 'execution.recovered']));
  });
});
