import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { LocalCounter } from './local-counter.js';

class Reader extends MetricReader {
  constructor(temporality: AggregationTemporality) {
    super({ aggregationTemporalitySelector: () => temporality });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

async function points(reader: Reader) {
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .flatMap((metric) => metric.dataPoints.map((point) => ({ attributes: point.attributes, value: point.value as number })));
}

describe('LocalCounter', () => {
  it('reports its sums as a counter when the SDK collects, cumulative or as deltas', async () => {
    const cumulative = new Reader(AggregationTemporality.CUMULATIVE);
    const delta = new Reader(AggregationTemporality.DELTA);
    const counter = LocalCounter.of(new MeterProvider({ readers: [cumulative, delta] }).getMeter('test'), 'ticketflow.turns', { unit: '{turn}' });
    counter.attach();
    const count = (action: string) => counter.increment(action) || counter.start(action, { 'ticketflow.action': action });
    count('ask');
    count('ask');
    count('execute');
    expect(await points(cumulative)).toEqual([
      { attributes: { 'ticketflow.action': 'ask' }, value: 2 },
      { attributes: { 'ticketflow.action': 'execute' }, value: 1 },
    ]);
    expect(await points(delta)).toEqual([
      { attributes: { 'ticketflow.action': 'ask' }, value: 2 },
      { attributes: { 'ticketflow.action': 'execute' }, value: 1 },
    ]);
    count('ask');
    expect((await points(cumulative)).find((point) => point.attributes['ticketflow.action'] === 'ask')?.value).toBe(3);
    expect((await points(delta)).find((point) => point.attributes['ticketflow.action'] === 'ask')?.value).toBe(1);
  });

  it('stays bounded: past 1,000 series, counts go to one overflow series', async () => {
    const reader = new Reader(AggregationTemporality.CUMULATIVE);
    const counter = LocalCounter.of(new MeterProvider({ readers: [reader] }).getMeter('test'), 'ticketflow.tool.calls', {});
    counter.attach();
    for (let index = 0; index < 2_500; index += 1) {
      const key = `tool-${index}`;
      if (!counter.increment(key)) counter.start(key, { 'gen_ai.tool.name': key });
    }
    const collected = await points(reader);
    expect(collected.length).toBeLessThanOrEqual(1_001);
    expect(collected.find((point) => point.attributes['otel.metric.overflow'] === true)?.value).toBe(1_500);
    expect(collected.reduce((total, point) => total + point.value, 0)).toBe(2_500);
  });

  it('is one counter per meter and name: its sums outlive a detach, so it never goes down, cumulative or as deltas', async () => {
    const cumulative = new Reader(AggregationTemporality.CUMULATIVE);
    const delta = new Reader(AggregationTemporality.DELTA);
    const meter = new MeterProvider({ readers: [cumulative, delta] }).getMeter('test');
    const counter = LocalCounter.of(meter, 'ticketflow.turns', {});
    expect(LocalCounter.of(meter, 'ticketflow.turns', {})).toBe(counter);
    const count = () => counter.increment('ask') || counter.start('ask', { 'ticketflow.action': 'ask' });
    counter.attach();
    counter.attach();
    count();
    count();
    expect(await points(cumulative)).toEqual([{ attributes: { 'ticketflow.action': 'ask' }, value: 2 }]);
    expect(await points(delta)).toEqual([{ attributes: { 'ticketflow.action': 'ask' }, value: 2 }]);
    counter.detach();
    counter.detach();
    counter.detach();
    count();
    expect(await points(cumulative)).toEqual([{ attributes: { 'ticketflow.action': 'ask' }, value: 2 }]);
    counter.attach();
    count();
    expect(await points(cumulative)).toEqual([{ attributes: { 'ticketflow.action': 'ask' }, value: 4 }]);
    expect(await points(delta)).toEqual([{ attributes: { 'ticketflow.action': 'ask' }, value: 2 }]);
  });
});
