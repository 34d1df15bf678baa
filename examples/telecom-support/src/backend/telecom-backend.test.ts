import { describe, expect, it } from 'vitest';
import { TelecomBackend } from './telecom-backend.js';

describe('TelecomBackend', () => {
  it('applies an effect once per idempotency key (E5) and replays the recorded result', async () => {
    const backend = new TelecomBackend({ latencyMs: 0 });
    const first = await backend.changePlan({ account: 'A', plan: 'plus' }, 'k-1');
    const again = await backend.changePlan({ account: 'A', plan: 'plus' }, 'k-1');
    expect(again).toEqual(first);
    expect(backend.calls.map((call) => call.result)).toEqual(['ok', 'replayed']);
    expect(backend.plans.get('A')).toBe('plus');
  });

  it('undoes idempotently, and an undo of a key that never took effect is a harmless no-op (E4)', async () => {
    const backend = new TelecomBackend({ latencyMs: 0 });
    await backend.changePlan({ account: 'A', plan: 'unlimited' }, 'k-1');
    await backend.revertPlanChange('k-1');
    await backend.revertPlanChange('k-1');
    await backend.reverseCredit('never-ran');
    expect(backend.plans.get('A')).toBe('basic');
    expect(backend.calls.filter((call) => call.kind === 'undo').map((call) => call.result)).toEqual(['ok', 'noop', 'noop']);
    expect(backend.liveEffects()).toEqual([]);
  });

  it('switches faults per operation: fail, fail-once, hang (until aborted) and fail-compensation', async () => {
    const backend = new TelecomBackend({ latencyMs: 0 });
    backend.setFault('issue_credit', 'fail');
    await expect(backend.issueCredit({ account: 'A', amount: 10, reason: 'r' }, 'k-1')).rejects.toMatchObject({ name: 'BackendError', retryable: true });
    backend.setFault('issue_credit', 'fail-once');
    await expect(backend.issueCredit({ account: 'A', amount: 10, reason: 'r' }, 'k-2')).rejects.toThrow('503');
    await expect(backend.issueCredit({ account: 'A', amount: 10, reason: 'r' }, 'k-2')).resolves.toMatchObject({ amount: 10 });
    backend.setFault('issue_credit', 'fail-compensation');
    await expect(backend.reverseCredit('k-2')).rejects.toThrow('undo refused');
    backend.setFault('reset_modem', 'hang');
    const controller = new AbortController();
    const hanging = backend.resetModem({ line: 'L' }, 'k-3', controller.signal);
    controller.abort(new Error('timed out'));
    await expect(hanging).rejects.toThrow('timed out');
    expect(backend.activeFaults()).toEqual({ issue_credit: 'fail-compensation', reset_modem: 'hang' });
    backend.clearFaults();
    expect(backend.activeFaults()).toEqual({});
  });

  it('reports known outages per region and service', async () => {
    const backend = new TelecomBackend({ latencyMs: 0 });
    expect(await backend.checkOutage({ region: 'Hamburg', service: 'fiber' }, 'a')).toMatchObject({ outage: true, incidentId: 'INC-4711' });
    expect(await backend.checkOutage({ region: 'Hamburg', service: 'dsl' }, 'b')).toEqual({ outage: false });
    expect(await backend.runLineDiagnostics({ line: '030 5550129', service: 'dsl' }, 'c')).toMatchObject({ status: 'fault' });
    expect(await backend.runLineDiagnostics({ line: 'Berlin/T-9', service: 'fiber' }, 'd')).not.toMatchObject({ status: 'fault' });
    expect(await backend.runLineDiagnostics({ line: 'Hamburg/T-1', service: 'fiber', region: 'Hamburg' }, 'e')).toMatchObject({ status: 'degraded' });
  });
});
