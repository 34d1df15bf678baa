import { MemoryStoreData, MemoryTicketStore, type TicketStore } from '@ticketflow/core';
import { createTelecomAgent, MemoryEffectLedger, TelecomBackend } from '@ticketflow/example-telecom-support';
import { describe, expect, it } from 'vitest';

/**
 * Found by the chaos suite's history checker (rule `effects-accounted`: "change_plan … is
 * still in effect, but its execution is superseded"), after a worker was killed or taken over
 * while it superseded an earlier run; fixed in the core (96cabad: recovery undoes an
 * unfinished supersede, `undoableCalls`), guarded here.
 *
 * E2a: a corrected, re-confirmed `confirm: true` workflow first compensates the calls of its
 * earlier run (`execution.superseded`, then the undos), then runs again. Those calls live in
 * `execution.supersedes`, not in the execution's journal `steps`. When the superseding worker
 * stops between `execution.superseded` and the end of those undos (killed, frozen past its
 * lease, cut off from the store), the recovery — by a turn or by the sweeper — compensates the
 * journal's steps only: the earlier run's calls stay in effect, the log says they were
 * superseded, and the ticket's outcome now reads `failed`, so no later run supersedes them
 * again: corrections add up (two plan changes, two credits).
 */
describe('core regression: a superseding execution that stops before the earlier run is undone', () => {
  /** A store whose commits hang once frozen: the worker can no longer renew its claim (a freeze, a cut connection). */
  function freezable(store: TicketStore): { store: TicketStore; freeze: () => void } {
    let frozen = false;
    const wrapped = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (property === 'commit')
          return (...args: unknown[]) => (frozen ? new Promise(() => undefined) : (value as (...a: unknown[]) => unknown).apply(target, args));
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    return { store: wrapped, freeze: () => (frozen = true) };
  }

  it('E2a E4 the recovery compensates the superseded run too: no earlier plan change is left in effect', async () => {
    const data = new MemoryStoreData();
    // One backend (one ledger of effects) seen by two workers; worker a's undos of plan changes fail.
    const ledger = new MemoryEffectLedger();
    const backendA = new TelecomBackend({ latencyMs: 0, ledger });
    const backendB = new TelecomBackend({ latencyMs: 0, ledger });
    const first = freezable(new MemoryTicketStore({ data }));
    const options = { leaseMs: 400, toolTimeoutMs: 100, toolRetry: { minDelayMs: 1, maxDelayMs: 2 } };
    const { agent: a } = createTelecomAgent({ ...options, backend: backendA, store: first.store, instanceId: 'a' });
    const { agent: b } = createTelecomAgent({ ...options, backend: backendB, store: new MemoryTicketStore({ data }), instanceId: 'b' });
    await a.handle({ ticketId: 'P', message: 'Upgrade me to the Plus plan, personal account', messageId: 'm1' });
    expect((await a.handle({ ticketId: 'P', message: 'yes', messageId: 'm2' })).action).toMatchObject({ outcome: 'resolved' });
    await a.handle({ ticketId: 'P', message: 'Actually make it the Unlimited plan', messageId: 'm3' });
    // The superseding turn: `execution.superseded` lands, then worker a stops renewing its claim
    // while the earlier run's plan change is being undone.
    backendA.setFault('change_plan', 'fail-compensation');
    const superseding = a.handle({ ticketId: 'P', message: 'yes', messageId: 'm4' });
    void superseding.catch(() => undefined);
    await waitFor(async () => (await b.inspect('P')).events.some((event) => event.type === 'execution.superseded'));
    first.freeze();
    await new Promise((resolve) => setTimeout(resolve, 500)); // a's lease lapses
    const report = await b.recover();
    expect(report.recovered).toBe(1);
    const events = (await b.inspect('P')).events.map((event) => event.type);
    expect(events).toContain('execution.recovered');
    const live = backendB.liveEffects().filter((effect) => effect.operation === 'change_plan');
    expect(live).toEqual([]);
  });
});

async function waitFor(condition: () => Promise<boolean>, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
