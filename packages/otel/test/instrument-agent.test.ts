import { type Meter, type MeterProvider, SpanStatusCode, trace, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { type AgentInstrumentation, ConfigurationError, InvalidArgumentError, MemoryTicketStore, StoreError } from '@ticketflow/core';
import { describe, expect, it } from 'vitest';
import { instrumentAgent } from '../src/index.js';
import { otelHarness } from './support/otel-harness.js';
import { DECISIONS, otelAgent } from './support/otel-domain.js';

describe('instrumentAgent', () => {
  it('O3 remove() detaches it: later turns produce no span and no metric; calling it twice is harmless', async () => {
    const otel = otelHarness();
    const { agent, llm } = otelAgent();
    const remove = instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    llm.enqueue(DECISIONS.noInternet, DECISIONS.noInternetWithAccount, DECISIONS.noInternet);
    await agent.handle({ ticketId: 'T-rm', message: 'hi' });
    expect(otel.spans()).toHaveLength(2);
    const before = await otel.sum('ticketflow.turns');
    remove();
    remove();
    await agent.handle({ ticketId: 'T-rm', message: 'A-100' });
    expect(otel.spans()).toHaveLength(2);
    expect(await otel.sum('ticketflow.turns')).toBe(before);
    expect(await otel.sum('ticketflow.tool.calls')).toBe(0);
    // And it can be attached again.
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    await agent.handle({ ticketId: 'T-rm-2', message: 'hi' });
    expect(otel.spans()).toHaveLength(4);
  });

  it('O1 instrumenting an agent again on the same providers while it is live is refused (it would count every turn twice); other providers or after remove() are fine', async () => {
    const otel = otelHarness();
    const other = otelHarness();
    const { agent, llm } = otelAgent();
    const remove = instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    expect(() => instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider })).toThrow(ConfigurationError);
    expect(() => instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider })).toThrow(/already instrumented/);
    // Sharing either provider would record that signal twice.
    expect(() => instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: other.meterProvider })).toThrow(/same tracer provider/);
    expect(() => instrumentAgent(agent, { tracerProvider: other.tracerProvider, meterProvider: otel.meterProvider })).toThrow(/same meter provider/);
    const removeOther = instrumentAgent(agent, { tracerProvider: other.tracerProvider, meterProvider: other.meterProvider });
    const { agent: second } = otelAgent();
    const removeSecond = instrumentAgent(second, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    llm.enqueue(DECISIONS.noInternet);
    await agent.handle({ ticketId: 'T-twice', message: 'hi' });
    expect(await otel.sum('ticketflow.turns')).toBe(1);
    expect(await other.sum('ticketflow.turns')).toBe(1);
    remove();
    const again = instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    llm.enqueue(DECISIONS.noInternet);
    await agent.handle({ ticketId: 'T-twice', message: 'hello' });
    expect(await otel.sum('ticketflow.turns')).toBe(2);
    for (const detach of [again, removeOther, removeSecond]) detach();
    // The global providers count as one pair.
    const removeGlobal = instrumentAgent(agent);
    expect(() => instrumentAgent(agent, {})).toThrow(ConfigurationError);
    expect(() => instrumentAgent(agent, { tracerProvider: trace.getTracerProvider(), meterProvider: otel.meterProvider })).toThrow(/same tracer provider/);
    removeGlobal();
    instrumentAgent(agent)();
  });

  it('O3 a tracer or meter that throws never breaks or changes a turn', async () => {
    const boom = () => {
      throw new Error('exporter down');
    };
    const tracerProvider = { getTracer: () => ({ startSpan: boom, startActiveSpan: boom }) as unknown as Tracer } as TracerProvider;
    const meterProvider = {
      getMeter: () => ({ createHistogram: () => ({ record: boom }), createObservableCounter: () => ({ addCallback: boom }) }) as unknown as Meter,
    } as MeterProvider;
    const brokenMeterProvider = { getMeter: boom } as unknown as MeterProvider;
    const { agent, llm } = otelAgent();
    instrumentAgent(agent, { tracerProvider, meterProvider });
    llm.enqueue(DECISIONS.noInternetWithAccount);
    const result = await agent.handle({ ticketId: 'T-boom', message: 'no internet' });
    expect(result.action).toEqual({ type: 'execute', workflow: 'fix_line', outcome: 'resolved' });

    const otel = otelHarness();
    const spans = otelAgent();
    instrumentAgent(spans.agent, { tracerProvider: otel.tracerProvider, meterProvider: brokenMeterProvider });
    spans.llm.enqueue(DECISIONS.noInternetWithAccount);
    expect((await spans.agent.handle({ ticketId: 'T-boom-2', message: 'no internet' })).action).toMatchObject({ outcome: 'resolved' });
    expect(otel.spans()).toHaveLength(6);
  });

  it('O1 a call that rejects (the store is down) ends its span with an error status, error.type and the exception', async () => {
    const otel = otelHarness();
    const store = Object.assign(Object.create(new MemoryTicketStore()) as MemoryTicketStore, {
      load: async () => {
        throw new StoreError({ kind: 'unavailable', adapter: 'test', message: 'connection refused' });
      },
    });
    const { agent } = otelAgent({ store });
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    await expect(agent.handle({ ticketId: 'T-down', message: 'hi' })).rejects.toThrow(/connection refused/);
    const turn = otel.one('invoke_agent ticketflow');
    expect(turn.status.code).toBe(SpanStatusCode.ERROR);
    expect(turn.attributes['error.type']).toBe('store_unavailable');
    expect(turn.events.map((event) => event.name)).toEqual(['exception']);
    expect(await otel.sum('ticketflow.turns', { 'error.type': 'store_unavailable' })).toBe(1);
  });

  it('O1 logFields gives the core the trace and span ids of the operation span', () => {
    const otel = otelHarness();
    let attached: AgentInstrumentation | undefined;
    instrumentAgent({ instrument: (instrumentation) => ((attached = instrumentation), () => undefined) }, { tracerProvider: otel.tracerProvider });
    const observer = attached!.operationStarted({ operation: 'handle', ticketId: 'T-log', messageId: null })!;
    const fields = observer.logFields!();
    observer.ended({ turn: 1, action: { type: 'acknowledge' }, intent: null, confidence: null, version: 2, degraded: false, duplicate: false });
    const span = otel.one('invoke_agent ticketflow');
    expect(fields).toEqual({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId, trace_flags: '01' });
  });

  it('O1 spans the core leaves open (a turn that rejected midway) end with the operation, marked unfinished', () => {
    const otel = otelHarness();
    let attached: AgentInstrumentation | undefined;
    instrumentAgent({ instrument: (instrumentation) => ((attached = instrumentation), () => undefined) }, { tracerProvider: otel.tracerProvider });
    const observer = attached!.operationStarted({ operation: 'handle', ticketId: 'T-open' })!;
    observer.llmAttempt!({ provider: 'p', purpose: 'decide', attempt: 1, prompt: 'x' });
    const execution = observer.execution!({ workflow: 'w', executionId: 'e', turn: 1, resumed: false })!;
    execution.toolCall({ tool: 't', step: 0, key: 'k', input: {}, compensation: false });
    execution.ended({ outcome: 'lost' });
    execution.ended({ outcome: 'lost' });
    observer.ended({ turn: 0, action: null, intent: null, confidence: null, version: null, degraded: false, duplicate: false, error: new Error('gone') });
    observer.ended({ turn: 0, action: null, intent: null, confidence: null, version: null, degraded: false, duplicate: false });
    expect([...otel.tree()].sort()).toEqual(['    execute_tool t', '  chat', '  invoke_workflow w', 'invoke_agent ticketflow']);
    expect(otel.one('chat').attributes['ticketflow.unfinished']).toBe(true);
    expect(otel.one('execute_tool t').attributes['ticketflow.unfinished']).toBe(true);
    expect(otel.one('invoke_workflow w').attributes['ticketflow.unfinished']).toBeUndefined();
  });

  it('refuses a misspelt or mistyped option with every problem listed, and a non-agent with InvalidArgumentError', () => {
    const { agent } = otelAgent();
    let caught: unknown;
    try {
      instrumentAgent(agent, { captureContents: true, tracerProvider: {}, redact: 'yes' } as never);
    } catch (error) {
      caught = error;
    }
    expect(ConfigurationError.isInstance(caught)).toBe(true);
    const message = (caught as Error).message;
    expect(message).toContain('did you mean "captureContent"');
    expect(message).toContain('tracerProvider');
    expect(message).toContain('redact');
    expect(() => instrumentAgent(agent, null as never)).toThrow(/options object/);
    expect(() => instrumentAgent({} as never)).toThrow(InvalidArgumentError);
    expect(() => instrumentAgent(undefined as never)).toThrow(/agent/);
  });
});
