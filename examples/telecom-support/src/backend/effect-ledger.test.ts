import { describe, expect, it } from 'vitest';
import type { CallFault } from './backend-fault.js';
import { type BackendCall, MemoryEffectLedger } from './effect-ledger.js';
import { TelecomBackend } from './telecom-backend.js';

describe('TelecomBackend effect ledger', () => {
  it('keeps effects in a MemoryEffectLedger by default, listed in order of application', async () => {
    const backend = new TelecomBackend({ latencyMs: 0 });
    await backend.issueCredit({ account: 'A', amount: 10, reason: 'r' }, 'k-1');
    await backend.changePlan({ account: 'A', plan: 'plus' }, 'k-2');
    expect(backend.ledger).toBeInstanceOf(MemoryEffectLedger);
    expect([...backend.effects.keys()]).toEqual(['k-1', 'k-2']);
    expect(backend.effects.get('k-2')).toMatchObject({ operation: 'change_plan', input: { account: 'A', plan: 'plus' }, output: { previousPlan: 'basic' } });
  });

  it('E4 a shared ledger lets one backend undo what another applied, once (two processes, one backend)', async () => {
    const ledger = new MemoryEffectLedger();
    const first = new TelecomBackend({ latencyMs: 0, ledger });
    const second = new TelecomBackend({ latencyMs: 0, ledger });
    const credit = await first.issueCredit({ account: 'A', amount: 10, reason: 'r' }, 'k-1');
    expect(await second.issueCredit({ account: 'A', amount: 10, reason: 'r' }, 'k-1')).toEqual(credit);
    await second.reverseCredit('k-1');
    await first.reverseCredit('k-1');
    expect(second.calls.map((call) => call.result)).toEqual(['replayed', 'ok']);
    expect(first.calls.map((call) => call.result)).toEqual(['ok', 'noop']);
    expect(first.liveEffects()).toEqual([]);
  });

  it('reports every call to a ledger that records calls', async () => {
    const recorded: BackendCall[] = [];
    const ledger = Object.assign(new MemoryEffectLedger(), { recordCall: (call: BackendCall) => void recorded.push(call) });
    const backend = new TelecomBackend({ latencyMs: 0, ledger });
    await backend.enableRoaming({ line: 'L', destination: 'Spain' }, 'k-1');
    await backend.disableRoaming('k-1');
    expect(recorded).toEqual(backend.calls);
    expect(recorded.map((call) => `${call.kind}:${call.result}`)).toEqual(['run:ok', 'undo:ok']);
  });

  it('E4 an undo is final: a call arriving after its key was compensated is refused, not applied', async () => {
    const backend = new TelecomBackend({ latencyMs: 0 });
    await backend.reverseCredit('late');
    await expect(backend.issueCredit({ account: 'A', amount: 80, reason: 'r' }, 'late')).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining('cancelled'),
    });
    await backend.changePlan({ account: 'A', plan: 'plus' }, 'undone');
    await backend.revertPlanChange('undone');
    await expect(backend.changePlan({ account: 'A', plan: 'plus' }, 'undone')).rejects.toMatchObject({ retryable: false });
    expect(backend.liveEffects()).toEqual([]);
    expect(backend.plans.get('A')).toBe('basic');
    expect(backend.calls.filter((call) => call.kind === 'run').map((call) => call.result)).toEqual(['failed', 'ok', 'failed']);
  });

  it('nothing is recorded when producing the effect throws', () => {
    const ledger = new MemoryEffectLedger();
    expect(() =>
      ledger.apply({ operation: 'x', key: 'k', input: {}, at: 't' }, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(ledger.list()).toEqual([]);
  });
});

describe('TelecomBackend fault plan (one fault per call)', () => {
  /** Each listed call (`kind:key`) fails once with its fault. */
  const planned = (faults: Record<string, CallFault>) => (call: { key: string; kind: 'run' | 'undo' }) => {
    const fault = faults[`${call.kind}:${call.key}`] ?? null;
    delete faults[`${call.kind}:${call.key}`];
    return fault;
  };

  it('fail is retryable and refuse is not; neither takes effect', async () => {
    const backend = new TelecomBackend({ latencyMs: 0, faultPlan: planned({ 'run:k-1': 'fail', 'run:k-2': 'refuse' }) });
    await expect(backend.changePlan({ account: 'A', plan: 'plus' }, 'k-1')).rejects.toMatchObject({ retryable: true });
    await expect(backend.changePlan({ account: 'A', plan: 'plus' }, 'k-2')).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining('422'),
    });
    expect(backend.liveEffects()).toEqual([]);
  });

  it('lose-reply takes effect but throws; a retry with the same key replays the recorded result (E5)', async () => {
    let calls = 0;
    const backend = new TelecomBackend({ latencyMs: 0, faultPlan: () => (calls++ === 0 ? 'lose-reply' : null) });
    await expect(backend.activateSim({ line: 'L', format: 'esim' }, 'k-1')).rejects.toMatchObject({ retryable: true });
    expect(backend.liveEffects()).toHaveLength(1);
    const retried = await backend.activateSim({ line: 'L', format: 'esim' }, 'k-1');
    expect(retried).toEqual(backend.effects.get('k-1')?.output);
    expect(backend.calls.map((call) => call.result)).toEqual(['ok', 'replayed']);
  });

  it('hang waits for the caller’s signal; a failed undo can be retried', async () => {
    const backend = new TelecomBackend({ latencyMs: 0, faultPlan: planned({ 'run:k-2': 'hang', 'undo:k-1': 'fail' }) });
    await backend.openCase({ queue: 'q', summary: 's', priority: 'normal' }, 'k-1');
    const controller = new AbortController();
    const hanging = backend.resetModem({ line: 'L' }, 'k-2', controller.signal);
    controller.abort(new Error('timed out'));
    await expect(hanging).rejects.toThrow('timed out');
    await expect(backend.withdrawCase('k-1')).rejects.toThrow('undo refused');
    expect(backend.queue).toHaveLength(1);
    await backend.withdrawCase('k-1');
    expect(backend.queue).toEqual([]);
    expect(backend.liveEffects()).toEqual([]);
  });

  it('a switched fault takes precedence over the plan', async () => {
    const backend = new TelecomBackend({ latencyMs: 0, faultPlan: () => 'refuse' });
    backend.setFault('check_outage', 'fail-once');
    await expect(backend.checkOutage({ region: 'Berlin', service: 'fiber' }, 'k-1')).rejects.toMatchObject({ retryable: true });
    await expect(backend.checkOutage({ region: 'Berlin', service: 'fiber' }, 'k-1')).rejects.toMatchObject({ retryable: false });
  });
});
