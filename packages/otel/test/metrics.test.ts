import type { Meter, MeterProvider } from '@opentelemetry/api';
import { MockLLM } from '@ticketflow/llm-mock';
import { describe, expect, it } from 'vitest';
import { instrumentAgent } from '../src/index.js';
import { otelHarness } from './support/otel-harness.js';
import { DECISIONS, otelAgent } from './support/otel-domain.js';

type HistogramValue = { count: number; sum: number };

describe('metrics (GenAI client metrics and ticketflow.*)', () => {
  it('O1 names, units and attributes: an ask turn, then an execute turn', async () => {
    const otel = otelHarness();
    const { agent, llm } = otelAgent();
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    llm.enqueue(DECISIONS.noInternet, { text: JSON.stringify({ ...DECISIONS.noInternetWithAccount }), usage: { inputTokens: 120, outputTokens: 30 } });
    await agent.handle({ ticketId: 'T-m', message: 'no internet' });
    await agent.handle({ ticketId: 'T-m', message: 'account A-100' });

    const metrics = await otel.metrics();
    const units = Object.fromEntries(metrics.map((metric) => [metric.descriptor.name, metric.descriptor.unit]));
    expect(units).toMatchObject({
      'gen_ai.client.operation.duration': 's',
      'gen_ai.client.token.usage': '{token}',
      'ticketflow.turns': '{turn}',
      'ticketflow.turn.duration': 's',
      'ticketflow.tool.calls': '{call}',
    });
    expect(await otel.sum('ticketflow.turns', { 'ticketflow.action': 'ask', 'ticketflow.operation': 'handle' })).toBe(1);
    expect(await otel.sum('ticketflow.turns', { 'ticketflow.action': 'execute' })).toBe(1);
    const turnDurations = await otel.points('ticketflow.turn.duration');
    expect(turnDurations.reduce((total, point) => total + (point.value as HistogramValue).count, 0)).toBe(2);
    for (const point of turnDurations) expect((point.value as HistogramValue).sum).toBeLessThan(10);

    const durations = await otel.points('gen_ai.client.operation.duration');
    expect(durations).toHaveLength(1);
    expect(durations[0]!.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'mock',
      'gen_ai.request.model': 'mock-1',
      'gen_ai.response.model': 'mock-1',
    });
    expect((durations[0]!.value as HistogramValue).count).toBe(2);

    const tokens = await otel.points('gen_ai.client.token.usage');
    const byType = Object.fromEntries(tokens.map((point) => [point.attributes['gen_ai.token.type'], point.value as HistogramValue]));
    expect(byType.input!.count).toBe(2);
    expect(byType.output!.count).toBe(2);
    expect(byType.input!.sum).toBeGreaterThanOrEqual(120);
    expect(tokens[0]!.attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'mock', 'gen_ai.request.model': 'mock-1' });

    for (const tool of ['look_up_account', 'reset_port', 'confirm_fix']) {
      expect(
        await otel.sum('ticketflow.tool.calls', { 'gen_ai.tool.name': tool, 'ticketflow.tool.outcome': 'completed', 'ticketflow.compensation': false }),
      ).toBe(1);
    }
    expect(await otel.sum('ticketflow.compensations')).toBe(0);
    expect(await otel.sum('ticketflow.conflicts')).toBe(0);
  });

  it('L2 a failed LLM request is measured with its error.type, and counted as a failure by kind', async () => {
    const otel = otelHarness();
    const llm = new MockLLM({ fallback: DECISIONS.noInternet });
    const { agent } = otelAgent({ llm, llmRetry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 } });
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    llm.failNext('rate_limited', 1).failNext('timeout', 1);
    await agent.handle({ ticketId: 'T-f', message: 'hi' });
    expect(await otel.sum('ticketflow.llm.failures', { 'error.type': 'rate_limited' })).toBe(1);
    expect(await otel.sum('ticketflow.llm.failures', { 'error.type': 'timeout' })).toBe(1);
    const durations = await otel.points('gen_ai.client.operation.duration');
    expect(durations.map((point) => point.attributes['error.type'] ?? null).sort()).toEqual(['rate_limited', 'timeout', null].sort());
  });

  it('O3 metrics go to the global meter provider when none is given, and to one registered after instrumentAgent', async () => {
    const { metrics } = await import('@opentelemetry/api');
    const otel = otelHarness();
    const { agent, llm } = otelAgent();
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider });
    llm.enqueue(DECISIONS.noInternet, DECISIONS.noInternet);
    await agent.handle({ ticketId: 'T-g', message: 'hi' });
    expect(metrics.setGlobalMeterProvider(otel.meterProvider)).toBe(true);
    try {
      await agent.handle({ ticketId: 'T-g', message: 'hi again' });
      expect(await otel.sum('ticketflow.turns')).toBe(1);
    } finally {
      metrics.disable();
    }
  });
});

describe('metrics of several instrumentations on one meter provider', () => {
  it('O3 two agents instrumented on the same meter provider: their counts add up', async () => {
    const otel = otelHarness();
    const first = otelAgent();
    const second = otelAgent();
    instrumentAgent(first.agent, { meterProvider: otel.meterProvider });
    instrumentAgent(second.agent, { meterProvider: otel.meterProvider });
    first.llm.enqueue(DECISIONS.noInternetWithAccount, DECISIONS.noInternetWithAccount, DECISIONS.noInternetWithAccount);
    second.llm.enqueue(DECISIONS.noInternetWithAccount);
    for (const ticketId of ['T-a1', 'T-a2', 'T-a3']) await first.agent.handle({ ticketId, message: 'no internet, account A-100' });
    await second.agent.handle({ ticketId: 'T-b1', message: 'no internet, account A-100' });

    expect(await otel.sum('ticketflow.turns')).toBe(4);
    expect(await otel.sum('ticketflow.tool.calls', { 'gen_ai.tool.name': 'look_up_account' })).toBe(4);
    expect(await otel.sum('ticketflow.turn.duration')).toBe(4);
  });

  it('O3 remove() then instrumenting again on the same meter provider: a counter never goes down', async () => {
    const otel = otelHarness();
    const { agent, llm } = otelAgent();
    llm.enqueue(...Array.from({ length: 5 }, () => DECISIONS.noInternetWithAccount));
    const remove = instrumentAgent(agent, { meterProvider: otel.meterProvider });
    for (const ticketId of ['T-r1', 'T-r2', 'T-r3']) await agent.handle({ ticketId, message: 'no internet, account A-100' });
    expect(await otel.sum('ticketflow.turns')).toBe(3);
    remove();
    await agent.handle({ ticketId: 'T-r4', message: 'no internet, account A-100' });
    expect(await otel.sum('ticketflow.turns')).toBe(3);
    instrumentAgent(agent, { meterProvider: otel.meterProvider });
    await agent.handle({ ticketId: 'T-r5', message: 'no internet, account A-100' });
    expect(await otel.sum('ticketflow.turns')).toBe(4);
    expect(await otel.sum('ticketflow.tool.calls', { 'gen_ai.tool.name': 'look_up_account' })).toBe(4);
  });

  it('O3 remove() removes the observable callbacks once no instrumentation on the meter is left', () => {
    const callbacks = new Map<string, Set<unknown>>();
    const meter = {
      createHistogram: () => ({ record: () => {} }),
      createObservableCounter: (name: string) => {
        const registered = callbacks.get(name) ?? new Set<unknown>();
        callbacks.set(name, registered);
        return { addCallback: (callback: unknown) => registered.add(callback), removeCallback: (callback: unknown) => registered.delete(callback) };
      },
    } as unknown as Meter;
    const meterProvider = { getMeter: () => meter } as MeterProvider;
    const live = () => [...callbacks.values()].reduce((total, registered) => total + registered.size, 0);

    const removeFirst = instrumentAgent(otelAgent().agent, { meterProvider });
    const removeSecond = instrumentAgent(otelAgent().agent, { meterProvider });
    expect(callbacks.get('ticketflow.turns')?.size).toBe(1);
    expect(live()).toBe(6);
    removeFirst();
    expect(live()).toBe(6);
    removeSecond();
    removeSecond();
    expect(live()).toBe(0);
  });
});
