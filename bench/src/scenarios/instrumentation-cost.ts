import { context, metrics, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, MeterProvider, type PushMetricExporter, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { type Agent, MemoryTicketStore } from '@ticketflow/core';
import { instrumentAgent } from '@ticketflow/otel';
import { benchAgent, benchMessage, type TurnKind } from '../bench-domain.js';
import { interleave, type InterleaveOptions, type Variant } from '../measure/interleave.js';
import type { Measurement } from '../measure/measurement.js';
import { documentFor, type TurnShape } from '../turn-shapes.js';

/** Issue 17.7: an instrumented turn costs at most this many uninstrumented ones. */
export const INSTRUMENTED_RATIO_TARGET = 1.3;

export interface InstrumentationCostResult {
  rows: {
    kind: TurnKind;
    /** Uninstrumented, in blocks run with OpenTelemetry's context manager disabled: an app without OpenTelemetry. */
    withoutSdk: Measurement;
    /**
     * Uninstrumented, with the SDK set up and each turn inside a server span, as under the HTTP
     * instrumentation of an app that uses OpenTelemetry (its context manager then slows every
     * promise of the process: Node 20's AsyncLocalStorage).
     */
    plain: Measurement;
    instrumented: Measurement;
    /** Instrumented, then `remove()`d: must cost what `plain` costs. */
    removed: Measurement;
  }[];
}

/** An exporter that drops everything: the SDK's own cost, without I/O. */
const dropSpans: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => undefined };
const dropMetrics: PushMetricExporter = {
  export: (_metrics, done) => done({ code: 0 }),
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
  selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
};

/**
 * The cost of `@ticketflow/otel` on the memory store, ask and execute turns, four variants
 * interleaved in one set of rounds: an agent in a process without OpenTelemetry (the SDK's
 * context manager is disabled before each of its blocks), then three with the SDK set up as
 * an app sets it up — async-hooks context manager, batch span processor and periodic metric
 * reader with exporters that drop everything, each turn inside a server span as the HTTP
 * instrumentation makes one — an uninstrumented agent, an instrumented one, and one
 * instrumented then removed.
 */
export async function runInstrumentationCost(shapes: Record<TurnKind, TurnShape>, options: InterleaveOptions): Promise<InstrumentationCostResult> {
  const sdk = startSdk();
  try {
    const rows: InstrumentationCostResult['rows'] = [];
    for (const kind of ['ask', 'execute'] as const) {
      const variants = [
        { ...(await turnVariant(kind, shapes[kind], 'no OpenTelemetry in the process')), beforeBlock: sdk.disableContext },
        { ...(await turnVariant(kind, shapes[kind], 'uninstrumented, SDK set up', undefined, sdk.inServerSpan)), beforeBlock: sdk.enableContext },
        {
          ...(await turnVariant(
            kind,
            shapes[kind],
            'instrumented (SDK, dropping exporters)',
            (agent) => instrumentAgent(agent, sdk.providers),
            sdk.inServerSpan,
          )),
          beforeBlock: sdk.enableContext,
        },
        {
          ...(await turnVariant(kind, shapes[kind], 'instrumented, then removed', (agent) => instrumentAgent(agent, sdk.providers)(), sdk.inServerSpan)),
          beforeBlock: sdk.enableContext,
        },
      ];
      const [withoutSdk, plain, instrumented, removed] = await interleave(variants, options);
      rows.push({ kind, withoutSdk: withoutSdk!, plain: plain!, instrumented: instrumented!, removed: removed! });
    }
    return { rows };
  } finally {
    await sdk.shutdown();
  }
}

type Wrap = <T>(work: () => Promise<T>) => Promise<T>;

async function turnVariant(
  kind: TurnKind,
  shape: TurnShape,
  label: string,
  instrument?: (agent: Agent) => unknown,
  wrap: Wrap = (work) => work(),
): Promise<Variant> {
  const store = new MemoryTicketStore();
  const ticketId = `otel-${kind}`;
  const seeded = await store.commit({ ticketId, expectedVersion: null, ticket: documentFor(shape.document, ticketId), events: [] });
  if (!seeded.ok) throw new Error(`[bench] ticket ${ticketId} already exists`);
  const agent = benchAgent(kind, store);
  instrument?.(agent);
  return { name: `${kind} turn: ${label}`, run: (index) => wrap(() => agent.handle(benchMessage(ticketId, index, 'otel'))) };
}

function startSdk() {
  const contextManager = new AsyncLocalStorageContextManager();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropSpans)] });
  const meterProvider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: dropMetrics, exportIntervalMillis: 10_000 })] });
  const disableContext = () => {
    context.disable();
    contextManager.disable();
  };
  const server = tracerProvider.getTracer('http-server');
  const inServerSpan: Wrap = (work) =>
    server.startActiveSpan('POST /v1/tickets/:id/messages', { kind: SpanKind.SERVER }, async (span) => {
      try {
        return await work();
      } finally {
        span.end();
      }
    });
  return {
    providers: { tracerProvider, meterProvider },
    inServerSpan,
    enableContext: () => {
      context.disable();
      context.setGlobalContextManager(contextManager.enable());
    },
    disableContext,
    async shutdown() {
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
      disableContext();
      trace.disable();
      metrics.disable();
    },
  };
}

/** The markdown section of the result, with the target verdicts. */
export function renderInstrumentationCost(result: InstrumentationCostResult, checked: boolean): string {
  const lines = [
    '## Instrumentation cost (@ticketflow/otel, memory store)',
    '',
    '| turn | no OpenTelemetry | uninstrumented, SDK set up | instrumented | instrumented, then removed | instrumented / uninstrumented with the SDK | instrumented / no OpenTelemetry |',
    '|---|---|---|---|---|---|---|',
  ];
  const targets: string[] = [];
  const verdict = (ratio: number) => (!checked ? 'not checked (quick)' : ratio <= INSTRUMENTED_RATIO_TARGET ? 'met' : 'NOT MET');
  for (const row of result.rows) {
    const total = row.instrumented.medianUs / row.withoutSdk.medianUs;
    const own = row.instrumented.medianUs / row.plain.medianUs;
    lines.push(
      `| ${row.kind} | ${row.withoutSdk.medianUs} µs | ${row.plain.medianUs} µs | ${row.instrumented.medianUs} µs | ${row.removed.medianUs} µs | ${own.toFixed(2)}× | ${total.toFixed(2)}× |`,
    );
    targets.push(
      `- ${row.kind} turn, instrumented ≤ ${INSTRUMENTED_RATIO_TARGET}× uninstrumented (the SDK set up in both): ${own.toFixed(2)}× — ${verdict(own)}; removed / uninstrumented: ${(row.removed.medianUs / row.plain.medianUs).toFixed(2)}×`,
    );
    targets.push(
      `- ${row.kind} turn, instrumented with the SDK / no OpenTelemetry at all (the SDK's context manager and request span included, shown, not a target): ${total.toFixed(2)}×`,
    );
  }
  return [
    ...lines,
    '',
    'Medians per turn, the four variants interleaved in one set of rounds. "No OpenTelemetry" blocks run with the context manager disabled, as in a process that never loaded the SDK; the others run each turn inside a server span, as under the HTTP instrumentation.',
    '',
    ...targets,
    '',
  ].join('\n');
}
