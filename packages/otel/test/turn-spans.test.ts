import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { LLM } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { describe, expect, it } from 'vitest';
import { instrumentAgent } from '../src/index.js';
import { otelHarness, sameSpan } from './support/otel-harness.js';
import { DECISIONS, otelAgent } from './support/otel-domain.js';

describe('spans of a turn (GenAI agent spans)', () => {
  it('O1 an ask turn is an invoke_agent ticketflow span with a chat child, and the turn in its attributes', async () => {
    const otel = otelHarness();
    const { agent, llm } = otelAgent();
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    llm.enqueue(DECISIONS.noInternet);
    const result = await agent.handle({ ticketId: 'T-ask', message: 'my line is dead', messageId: 'm-1' });
    expect(result.action).toMatchObject({ type: 'ask', slot: 'account' });

    expect(otel.tree()).toEqual(['invoke_agent ticketflow', '  chat mock-1']);
    const turn = otel.one('invoke_agent ticketflow');
    expect(turn.kind).toBe(SpanKind.INTERNAL);
    expect(turn.status.code).toBe(SpanStatusCode.UNSET);
    expect(turn.instrumentationScope.name).toBe('@ticketflow/otel');
    expect(turn.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'ticketflow',
      'gen_ai.conversation.id': 'T-ask',
      'gen_ai.provider.name': 'mock',
      'gen_ai.request.model': 'mock-1',
      'ticketflow.operation': 'handle',
      'ticketflow.message.id': 'm-1',
      'ticketflow.turn': 1,
      'ticketflow.action': 'ask',
      'ticketflow.slot': 'account',
      'ticketflow.intent': 'no_internet',
      'ticketflow.confidence': 0.95,
      'ticketflow.ticket.version': result.ticket.version,
      'ticketflow.degraded': false,
      'ticketflow.duplicate': false,
    });
    const chat = otel.one('chat mock-1');
    expect(chat.kind).toBe(SpanKind.CLIENT);
    expect(chat.status.code).toBe(SpanStatusCode.UNSET);
    expect(chat.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'mock',
      'gen_ai.request.model': 'mock-1',
      'gen_ai.response.model': 'mock-1',
      'gen_ai.output.type': 'json',
      'ticketflow.llm.purpose': 'decide',
      'ticketflow.llm.attempt': 1,
    });
    expect(chat.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(chat.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(chat.attributes['error.type']).toBeUndefined();
  });

  it('O1 the first chat span of a provider names the model it asks for (llm.model); without one, the span takes the answering model', async () => {
    const otel = otelHarness();
    const answer = JSON.stringify(DECISIONS.noInternet);
    // An app's own adapter: no `model`, or one that is not a string or whose getter throws.
    const bare = { name: 'bare', generate: async () => ({ text: answer, model: 'bare-7', latencyMs: 1 }) };
    const hostile = {
      name: 'hostile',
      get model(): string {
        throw new Error('no model here');
      },
      generate: async () => ({ text: answer, model: 'hostile-2', latencyMs: 1 }),
    };
    const odd = { name: 'odd', model: { id: 'x' } as unknown as string, generate: async () => ({ text: answer, model: 'odd-3', latencyMs: 1 }) };
    const cases: [LLM, [string, string | undefined, string]][] = [
      [new MockLLM({ model: 'asked-1', fallback: DECISIONS.noInternet }), ['chat asked-1', 'asked-1', 'asked-1']],
      [bare, ['chat bare-7', undefined, 'bare-7']],
      [hostile, ['chat hostile-2', undefined, 'hostile-2']],
      [odd, ['chat odd-3', undefined, 'odd-3']],
    ];
    for (const [llm, expected] of cases) {
      otel.reset();
      const { agent } = otelAgent({ llm });
      instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
      await agent.handle({ ticketId: `T-${llm.name}`, message: 'my line is dead' });
      const [chat] = otel.named('chat');
      expect([chat!.name, chat!.attributes['gen_ai.request.model'], chat!.attributes['gen_ai.response.model']]).toEqual(expected);
    }
  });

  it('O1 an execute turn: invoke_workflow with one execute_tool per call, the journal step as the call id (never the idempotency key)', async () => {
    const otel = otelHarness();
    const { agent, llm, data } = otelAgent();
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    llm.enqueue(DECISIONS.noInternetWithAccount);
    const result = await agent.handle({ ticketId: 'T-exec', message: 'no internet on A-100' });
    expect(result.action).toEqual({ type: 'execute', workflow: 'fix_line', outcome: 'resolved' });

    expect(otel.tree()).toEqual([
      'invoke_agent ticketflow',
      '  chat mock-1',
      '  invoke_workflow fix_line',
      '    execute_tool look_up_account',
      '    execute_tool reset_port',
      '    execute_tool confirm_fix',
    ]);
    const workflow = otel.one('invoke_workflow fix_line');
    expect(workflow.kind).toBe(SpanKind.INTERNAL);
    expect(workflow.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_workflow',
      'gen_ai.workflow.name': 'fix_line',
      'ticketflow.execution.outcome': 'resolved',
      'ticketflow.execution.resumed': false,
    });
    expect(otel.one('invoke_agent ticketflow').attributes).toMatchObject({
      'ticketflow.action': 'execute',
      'ticketflow.execution.outcome': 'resolved',
      'gen_ai.workflow.name': 'fix_line',
    });

    const keys = (await new (await import('@ticketflow/core')).MemoryTicketStore({ data }).events('T-exec'))
      .filter((event) => event.type === 'step.started')
      .map((event) => (event.data as { key: string }).key);
    expect(keys).toHaveLength(3);
    const tools = otel.named('execute_tool');
    expect(tools.map((span) => span.attributes['gen_ai.tool.call.id'])).toEqual(['0', '1', '2']);
    for (const [index, span] of tools.entries()) {
      expect(span.kind).toBe(SpanKind.INTERNAL);
      expect(span.attributes).toMatchObject({
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.type': 'function',
        'ticketflow.step': index,
        'ticketflow.compensation': false,
        'ticketflow.tool.outcome': 'completed',
        'ticketflow.tool.attempts': 1,
      });
      const values = JSON.stringify({ attributes: span.attributes, events: span.events, links: span.links });
      for (const key of keys) expect(values).not.toContain(key);
    }
    expect(tools[0]!.attributes['gen_ai.tool.name']).toBe('look_up_account');
  });

  it('O1 tool and LLM code run inside their span, so their own spans (HTTP clients) nest under it', async () => {
    const otel = otelHarness();
    const seen: { llm?: string; tool?: string } = {};
    const inner = new MockLLM({ fallback: DECISIONS.noInternetWithAccount });
    const llm = {
      name: 'mock',
      generate: (prompt: string, options?: object) => ((seen.llm = trace.getActiveSpan()?.spanContext().spanId), inner.generate(prompt, options)),
    };
    const { agent, domain } = otelAgent({ llm });
    domain.hooks.onLookUp = () => (seen.tool = trace.getActiveSpan()?.spanContext().spanId);
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    await agent.handle({ ticketId: 'T-ctx', message: 'no internet on A-100' });
    expect(seen.llm).toBe(otel.one('chat mock-1').spanContext().spanId);
    expect(seen.tool).toBe(otel.one('execute_tool look_up_account').spanContext().spanId);
  });

  it('O1 the turn is a child of the span active where handle was called (an HTTP server span), in its trace', async () => {
    const otel = otelHarness();
    const { agent, llm } = otelAgent();
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    llm.enqueue(DECISIONS.noInternetWithAccount);
    const tracer = otel.tracerProvider.getTracer('http-server');
    await tracer.startActiveSpan('POST /tickets/{ticketId}/messages', { kind: SpanKind.SERVER }, async (span) => {
      await agent.handle({ ticketId: 'T-outer', message: 'no internet on A-100' });
      span.end();
    });
    const outer = otel.one('POST /tickets/{ticketId}/messages');
    const turn = otel.one('invoke_agent ticketflow');
    expect(sameSpan(turn.parentSpanContext, outer.spanContext())).toBe(true);
    for (const span of otel.spans()) expect(span.spanContext().traceId).toBe(outer.spanContext().traceId);
    expect(otel.tree()[0]).toBe('POST /tickets/{ticketId}/messages');
    expect(otel.tree()[1]).toBe('  invoke_agent ticketflow');
  });

  it('T6 parallel turns on different tickets keep their spans apart', async () => {
    const otel = otelHarness();
    const { agent } = otelAgent({ llm: new MockLLM({ fallback: DECISIONS.noInternetWithAccount, latencyMs: 5 }) });
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    await Promise.all(Array.from({ length: 6 }, (_, index) => agent.handle({ ticketId: `T-par-${index}`, message: 'no internet' })));
    const turns = otel.named('invoke_agent');
    expect(turns).toHaveLength(6);
    expect(new Set(turns.map((span) => span.spanContext().traceId)).size).toBe(6);
    for (const turn of turns) {
      const inTrace = otel.spans().filter((span) => span.spanContext().traceId === turn.spanContext().traceId);
      expect(inTrace.map((span) => span.name).sort()).toEqual([
        'chat mock-1',
        'execute_tool confirm_fix',
        'execute_tool look_up_account',
        'execute_tool reset_port',
        'invoke_agent ticketflow',
        'invoke_workflow fix_line',
      ]);
    }
  });

  it('T7 a duplicate message is a turn marked duplicate, with no LLM call', async () => {
    const otel = otelHarness();
    const { agent, llm } = otelAgent();
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    llm.enqueue(DECISIONS.noInternet);
    const first = await agent.handle({ ticketId: 'T-dup', message: 'hello', messageId: 'm-1' });
    otel.reset();
    await agent.handle({ ticketId: 'T-dup', message: 'hello', messageId: 'm-1' });
    expect(otel.tree()).toEqual(['invoke_agent ticketflow']);
    const turn = otel.one('invoke_agent ticketflow');
    expect(turn.attributes).toMatchObject({ 'ticketflow.duplicate': true, 'ticketflow.action': 'ask' });
    expect(turn.events.map((event) => event.name)).toEqual(['ticketflow.duplicate']);
    expect(turn.events[0]!.attributes).toMatchObject({ 'ticketflow.turn': 1, 'ticketflow.ticket.version': first.ticket.version });
  });
});
