import { context, type SpanContext } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, type DataPoint, MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

// `run(work)` hooks and parentage under an outer span need a context manager, as an app's SDK sets one.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

/** A metric reader the test collects on demand (cumulative). */
class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** The SDK with in-memory exporters: what an app's collector would receive. */
export function otelHarness() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });

  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  const named = (prefix: string): ReadableSpan[] => spans().filter((span) => span.name === prefix || span.name.startsWith(`${prefix} `));
  const one = (name: string): ReadableSpan => {
    const found = spans().filter((span) => span.name === name);
    if (found.length !== 1)
      throw new Error(
        `expected one span "${name}", found ${found.length}: ${spans()
          .map((span) => span.name)
          .join(', ')}`,
      );
    return found[0]!;
  };
  const parentOf = (span: ReadableSpan): ReadableSpan | undefined =>
    spans().find((candidate) => candidate.spanContext().spanId === span.parentSpanContext?.spanId);
  const childrenOf = (span: ReadableSpan): ReadableSpan[] => spans().filter((candidate) => candidate.parentSpanContext?.spanId === span.spanContext().spanId);

  /** The finished spans as an indented tree of names, children in start order. */
  const tree = (): string[] => {
    const lines: string[] = [];
    const byStart = (a: ReadableSpan, b: ReadableSpan) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1];
    const walk = (span: ReadableSpan, depth: number) => {
      lines.push(`${'  '.repeat(depth)}${span.name}`);
      for (const child of childrenOf(span).sort(byStart)) walk(child, depth + 1);
    };
    for (const root of spans()
      .filter((span) => !parentOf(span))
      .sort(byStart))
      walk(root, 0);
    return lines;
  };

  async function metrics(): Promise<MetricData[]> {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  }

  /** The data points of one metric. */
  async function points(name: string): Promise<DataPoint<unknown>[]> {
    const metric = (await metrics()).find((candidate) => candidate.descriptor.name === name);
    return (metric?.dataPoints ?? []) as DataPoint<unknown>[];
  }

  /** The sum of a counter's points whose attributes include `where`. */
  async function sum(name: string, where: Record<string, unknown> = {}): Promise<number> {
    return (await points(name))
      .filter((point) => Object.entries(where).every(([key, value]) => point.attributes[key] === value))
      .reduce((total, point) => total + (typeof point.value === 'number' ? point.value : ((point.value as { count?: number }).count ?? 0)), 0);
  }

  const reset = () => exporter.reset();
  return { exporter, tracerProvider, meterProvider, reader, spans, named, one, parentOf, childrenOf, tree, metrics, points, sum, reset };
}

export type OtelHarness = ReturnType<typeof otelHarness>;

/** True when two span contexts name the same span. */
export function sameSpan(a: SpanContext | undefined, b: SpanContext | undefined): boolean {
  return !!a && !!b && a.traceId === b.traceId && a.spanId === b.spanId;
}
