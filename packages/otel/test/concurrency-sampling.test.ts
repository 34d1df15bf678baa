import { context, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { MockLLM } from '@ticketflow/llm-mock';
import { describe, expect, it } from 'vitest';
import { instrumentAgent } from '../src/index.js';
import { otelHarness } from './support/otel-harness.js';
import { DECISIONS, otelAgent } from './support/otel-domain.js';

describe('concurrency and sampling', () => {
  it('T6 concurrent turns on one ticket (serialised by the agent) each get their own spans, parented to their own caller', async () => {
    const otel = otelHarness();
    const { agent } = otelAgent({ llm: new MockLLM({ fallback: DECISIONS.noInternet, latencyMs: 3 }) });
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    const tracer = otel.tracerProvider.getTracer('caller');
    await Promise.all(
      Array.from({ length: 4 }, (_, index) =>
        tracer.startActiveSpan(`request ${index}`, { kind: SpanKind.SERVER }, async (span) => {
          await agent.handle({ ticketId: 'T-same', message: `message ${index}` });
          span.end();
        }),
      ),
    );
    const turns = otel.named('invoke_agent');
    expect(turns).toHaveLength(4);
    expect(turns.map((turn) => turn.attributes['ticketflow.turn']).sort()).toEqual([1, 2, 3, 4]);
    for (const turn of turns) {
      const caller = otel.parentOf(turn)!;
      expect(caller.name).toMatch(/^request \d$/);
      expect(otel.childrenOf(turn).map((span) => span.name)).toEqual(['chat mock-1']);
    }
    expect(new Set(turns.map((turn) => otel.parentOf(turn)!.name)).size).toBe(4);
    expect(await otel.sum('ticketflow.turns')).toBe(4);
  });

  it('O3 a sampler that drops every trace leaves turns unchanged and records no span, while metrics still count', async () => {
    const otel = otelHarness();
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ sampler: new AlwaysOffSampler(), spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const { agent, llm } = otelAgent();
    instrumentAgent(agent, { tracerProvider, meterProvider: otel.meterProvider, captureContent: true });
    llm.enqueue(DECISIONS.noInternetWithAccount);
    const result = await agent.handle({ ticketId: 'T-off', message: 'no internet' });
    expect(result.action).toMatchObject({ outcome: 'resolved' });
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(await otel.sum('ticketflow.turns', { 'ticketflow.action': 'execute' })).toBe(1);
    expect(await otel.sum('ticketflow.tool.calls')).toBe(3);
  });

  it('O1 a parent-based sampler follows the caller: an unsampled request leaves the whole turn unsampled', async () => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({
      sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const { agent, llm } = otelAgent();
    instrumentAgent(agent, { tracerProvider });
    llm.enqueue(DECISIONS.noInternetWithAccount, DECISIONS.noInternet);
    // An upstream service decided not to sample this request (traceparent flags 00).
    const unsampled = trace.setSpanContext(context.active(), {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.NONE,
      isRemote: true,
    });
    await context.with(unsampled, () => agent.handle({ ticketId: 'T-unsampled', message: 'no internet' }));
    expect(exporter.getFinishedSpans()).toEqual([]);
    // Without that parent the turn is a sampled root.
    await agent.handle({ ticketId: 'T-unsampled', message: 'thanks' });
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['chat mock-1', 'invoke_agent ticketflow']);
  });
});
