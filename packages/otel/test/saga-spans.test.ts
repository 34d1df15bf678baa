import { SpanStatusCode } from '@opentelemetry/api';
import { CrashingTicketStore } from '@ticketflow/core/testing';
import { MemoryStoreData, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { describe, expect, it } from 'vitest';
import { instrumentAgent } from '../src/index.js';
import { otelHarness, sameSpan } from './support/otel-harness.js';
import { DECISIONS, otelAgent, otelDomain } from './support/otel-domain.js';

describe('spans of executions that do not simply complete', () => {
  it('E3 a compensation is an execute_tool span with ticketflow.compensation, linked to the call it undoes', async () => {
    const otel = otelHarness();
    const { agent, llm, domain } = otelAgent();
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    domain.failing.add('confirm_fix');
    llm.enqueue(DECISIONS.noInternetWithAccount);
    const result = await agent.handle({ ticketId: 'T-comp', message: 'no internet on A-100' });
    expect(result.action).toMatchObject({ type: 'execute', workflow: 'fix_line', outcome: 'failed' });

    expect(otel.tree()).toEqual([
      'invoke_agent ticketflow',
      '  chat mock-1',
      '  invoke_workflow fix_line',
      '    execute_tool look_up_account',
      '    execute_tool reset_port',
      '    execute_tool confirm_fix',
      '    execute_tool reset_port',
    ]);
    const [call, undo] = otel.named('execute_tool reset_port');
    expect(call!.attributes['ticketflow.compensation']).toBe(false);
    expect(undo!.attributes).toMatchObject({
      'ticketflow.compensation': true,
      'ticketflow.compensation.undoes': 1,
      'gen_ai.tool.call.id': '1',
      'ticketflow.tool.outcome': 'compensated',
    });
    expect(undo!.links).toHaveLength(1);
    expect(sameSpan(undo!.links[0]!.context, call!.spanContext())).toBe(true);

    const failed = otel.one('execute_tool confirm_fix');
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.attributes).toMatchObject({ 'error.type': 'failed', 'ticketflow.tool.outcome': 'failed', 'ticketflow.tool.attempts': 2 });
    expect(failed.events.map((event) => event.name)).toEqual(['ticketflow.tool.retried']);
    const workflow = otel.one('invoke_workflow fix_line');
    expect(workflow.status.code).toBe(SpanStatusCode.ERROR);
    expect(workflow.attributes).toMatchObject({ 'error.type': 'failed', 'ticketflow.execution.outcome': 'failed' });
    // A rolled-back workflow is an answer of the agent, not a failure of the call.
    const turn = otel.one('invoke_agent ticketflow');
    expect(turn.status.code).toBe(SpanStatusCode.UNSET);
    expect(turn.attributes).toMatchObject({ 'ticketflow.action': 'execute', 'ticketflow.execution.outcome': 'failed' });

    expect(await otel.sum('ticketflow.compensations', { 'gen_ai.tool.name': 'reset_port', 'ticketflow.tool.outcome': 'compensated' })).toBe(1);
    expect(await otel.sum('ticketflow.tool.calls', { 'gen_ai.tool.name': 'confirm_fix', 'ticketflow.tool.outcome': 'failed' })).toBe(1);
    expect(await otel.sum('ticketflow.tool.calls', { 'gen_ai.tool.name': 'reset_port', 'ticketflow.compensation': true })).toBe(1);
    expect(await otel.sum('ticketflow.turns', { 'ticketflow.action': 'execute' })).toBe(1);
  });

  it('E6 a procedure that asks mid-run is suspended, then resumed on the answer, as span events with the ticket version', async () => {
    const otel = otelHarness();
    const { agent, llm } = otelAgent();
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    llm.enqueue(DECISIONS.noData);
    const asked = await agent.handle({ ticketId: 'T-proc', message: 'no data on my phone' });
    expect(asked.action).toMatchObject({ type: 'ask', slot: 'status_bar', workflow: 'data_procedure' });
    expect(otel.tree()).toEqual(['invoke_agent ticketflow', '  chat mock-1', '  invoke_workflow data_procedure', '    execute_tool look_up_account']);
    const first = otel.one('invoke_agent ticketflow');
    expect(otel.one('invoke_workflow data_procedure').attributes).toMatchObject({
      'ticketflow.execution.outcome': 'ask',
      'ticketflow.execution.resumed': false,
    });
    expect(otel.one('invoke_workflow data_procedure').status.code).toBe(SpanStatusCode.UNSET);
    const suspended = first.events.find((event) => event.name === 'ticketflow.execution.suspended');
    expect(suspended?.attributes).toEqual({
      'gen_ai.workflow.name': 'data_procedure',
      'ticketflow.execution.suspend_reason': 'input',
      'ticketflow.ticket.version': asked.ticket.version,
    });

    otel.reset();
    llm.enqueue(DECISIONS.statusBars);
    const answered = await agent.handle({ ticketId: 'T-proc', message: 'I see bars' });
    expect(answered.action).toEqual({ type: 'execute', workflow: 'data_procedure', outcome: 'resolved' });
    // The journaled look-up is replayed, not run again: no execute_tool span.
    expect(otel.tree()).toEqual(['invoke_agent ticketflow', '  chat mock-1', '  invoke_workflow data_procedure']);
    expect(otel.one('invoke_workflow data_procedure').attributes['ticketflow.execution.resumed']).toBe(true);
    const resumed = otel.one('invoke_agent ticketflow').events.find((event) => event.name === 'ticketflow.execution.resumed');
    expect(resumed?.attributes).toEqual({ 'gen_ai.workflow.name': 'data_procedure', 'ticketflow.ticket.version': answered.ticket.version });
  });

  it('E3 an approval suspends the workflow; approving is its own invoke_agent with an approval event, resuming the workflow', async () => {
    const otel = otelHarness();
    const { agent, llm } = otelAgent();
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    llm.enqueue(DECISIONS.refund);
    const waiting = await agent.handle({ ticketId: 'T-appr', message: 'refund 80 on A-200' });
    expect(waiting.action).toMatchObject({ type: 'execute', outcome: 'awaiting_approval' });
    expect(otel.tree()).toEqual(['invoke_agent ticketflow', '  chat mock-1', '  invoke_workflow refund', '    execute_tool hold_funds']);
    const suspended = otel.one('invoke_agent ticketflow').events.find((event) => event.name === 'ticketflow.execution.suspended');
    expect(suspended?.attributes).toMatchObject({ 'ticketflow.execution.suspend_reason': 'approval', 'ticketflow.ticket.version': waiting.ticket.version });

    otel.reset();
    const approved = await agent.approve('T-appr', { by: 'ops-anna' });
    expect(otel.tree()).toEqual(['invoke_agent ticketflow', '  invoke_workflow refund', '    execute_tool issue_refund']);
    const turn = otel.one('invoke_agent ticketflow');
    expect(turn.attributes).toMatchObject({
      'ticketflow.operation': 'approve',
      'gen_ai.conversation.id': 'T-appr',
      'ticketflow.ticket.version': approved.ticket.version,
    });
    const approval = turn.events.find((event) => event.name === 'ticketflow.approval');
    expect(approval?.attributes).toEqual({ 'ticketflow.approval.verdict': 'approve', 'ticketflow.ticket.version': waiting.ticket.version });
    expect(turn.events.map((event) => event.name)).toEqual(['ticketflow.approval', 'ticketflow.execution.resumed']);
    expect(JSON.stringify(turn.attributes)).not.toContain('ops-anna');
    expect(await otel.sum('ticketflow.turns', { 'ticketflow.operation': 'approve' })).toBe(1);
  });

  it('E3 a rejected approval compensates what ran before it, linked, in the reject operation', async () => {
    const otel = otelHarness();
    const { agent, llm } = otelAgent();
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    llm.enqueue(DECISIONS.refund);
    await agent.handle({ ticketId: 'T-rej', message: 'refund 80 on A-200' });
    await agent.reject('T-rej', { by: 'ops-anna', note: 'too much' });
    const rejecting = otel.spans().find((span) => span.attributes['ticketflow.operation'] === 'reject')!;
    expect(rejecting.events.find((event) => event.name === 'ticketflow.approval')?.attributes?.['ticketflow.approval.verdict']).toBe('reject');
    expect(rejecting.status.code).toBe(SpanStatusCode.UNSET);
    const [held, released] = otel.named('execute_tool hold_funds');
    expect(released!.spanContext().traceId).toBe(rejecting.spanContext().traceId);
    expect(held!.spanContext().traceId).not.toBe(rejecting.spanContext().traceId);
    expect(released!.attributes).toMatchObject({
      'ticketflow.compensation': true,
      'ticketflow.compensation.undoes': 0,
      'ticketflow.tool.outcome': 'compensated',
    });
    // The link crosses traces: the hold ran in the customer's turn, its undo in the operator's.
    expect(sameSpan(released!.links[0]?.context, held!.spanContext())).toBe(true);
  });

  it('L2 a degraded turn carries ticketflow.degraded, not an error; its failed chat span has error.type = the LLMError kind', async () => {
    const otel = otelHarness();
    const { agent, llm } = otelAgent();
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    llm.failNext('auth');
    const result = await agent.handle({ ticketId: 'T-deg', message: 'hello' });
    expect(result.action).toMatchObject({ type: 'fallback' });
    const turn = otel.one('invoke_agent ticketflow');
    expect(turn.status.code).toBe(SpanStatusCode.UNSET);
    expect(turn.attributes).toMatchObject({ 'ticketflow.degraded': true, 'ticketflow.action': 'fallback' });
    expect(turn.attributes['error.type']).toBeUndefined();
    const [chat] = otel.named('chat');
    expect(chat!.status.code).toBe(SpanStatusCode.ERROR);
    expect(chat!.attributes).toMatchObject({ 'error.type': 'auth', 'gen_ai.provider.name': 'mock' });
    expect(await otel.sum('ticketflow.llm.failures', { 'error.type': 'auth', 'gen_ai.provider.name': 'mock' })).toBe(1);
    expect(await otel.sum('ticketflow.turns', { 'ticketflow.action': 'fallback' })).toBe(1);
  });

  it('L2 a fallback chain: every attempt and each hop is a chat span; a provider skipped by its open circuit is a span event', async () => {
    const otel = otelHarness();
    const primary = new MockLLM({ name: 'primary', model: 'big-1' });
    const backup = new MockLLM({ name: 'backup', model: 'small-1', fallback: DECISIONS.noInternet });
    const { agent } = otelAgent({
      llm: [primary, backup],
      llmRetry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
      circuitBreaker: { failureThreshold: 1, cooldownMs: 60_000 },
    });
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    primary.failNext('unavailable', 2);
    await agent.handle({ ticketId: 'T-fb', message: 'internet is down' });
    // Each provider names the model it asks for (`llm.model`), so even a request that failed is named after it.
    expect(otel.tree()).toEqual(['invoke_agent ticketflow', '  chat big-1', '  chat big-1', '  chat small-1']);
    const chats = otel.named('chat');
    expect(chats.map((span) => span.attributes['gen_ai.request.model'])).toEqual(['big-1', 'big-1', 'small-1']);
    expect(
      chats.map((span) => [span.attributes['gen_ai.provider.name'], span.attributes['ticketflow.llm.attempt'], span.attributes['error.type'] ?? null]),
    ).toEqual([
      ['primary', 1, 'unavailable'],
      ['primary', 2, 'unavailable'],
      ['backup', 1, null],
    ]);
    const turn = otel.one('invoke_agent ticketflow');
    expect(turn.attributes).toMatchObject({ 'gen_ai.provider.name': 'backup', 'gen_ai.request.model': 'small-1', 'ticketflow.degraded': false });
    expect(turn.events.map((event) => event.name)).toEqual(['ticketflow.circuit_opened']);
    expect(await otel.sum('ticketflow.llm.failures', { 'gen_ai.provider.name': 'primary', 'error.type': 'unavailable' })).toBe(2);

    otel.reset();
    await agent.handle({ ticketId: 'T-fb', message: 'still down' });
    expect(otel.tree()).toEqual(['invoke_agent ticketflow', '  chat small-1']);
    const skipped = otel.one('invoke_agent ticketflow').events.find((event) => event.name === 'ticketflow.llm.skipped');
    expect(skipped?.attributes).toEqual({ 'gen_ai.provider.name': 'primary', 'ticketflow.llm.skip_reason': 'circuit_open' });
  });

  it('L2 a re-ask after an answer that is no decision is a chat span of its own', async () => {
    const otel = otelHarness();
    const { agent, llm } = otelAgent();
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    llm.enqueue('this is not json', DECISIONS.noInternet);
    await agent.handle({ ticketId: 'T-reask', message: 'hi' });
    expect(otel.named('chat').map((span) => span.attributes['ticketflow.llm.purpose'])).toEqual(['decide', 're-ask']);
  });

  it('T6 a commit conflict is a span event with the attempt and the ticket version, and counted', async () => {
    const otel = otelHarness();
    const data = new MemoryStoreData();
    const inner = new MemoryTicketStore({ data });
    let armed = false;
    // Another writer commits first: the turn's commit conflicts and the turn runs again.
    const store = Object.assign(Object.create(inner) as MemoryTicketStore, {
      commit: async (request: Parameters<MemoryTicketStore['commit']>[0]) => {
        if (armed && request.expectedVersion !== null) {
          armed = false;
          const current = (await inner.load(request.ticketId))!;
          await inner.commit({ ticketId: request.ticketId, expectedVersion: current.version, ticket: current.ticket, events: [] });
        }
        return inner.commit(request);
      },
    });
    const { agent, llm } = otelAgent({ store });
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    llm.enqueue(DECISIONS.noInternet);
    await agent.handle({ ticketId: 'T-conf', message: 'hello' });
    otel.reset();
    armed = true;
    llm.enqueue(DECISIONS.noInternet, DECISIONS.noInternet);
    const result = await agent.handle({ ticketId: 'T-conf', message: 'again' });
    const turn = otel.one('invoke_agent ticketflow');
    const conflict = turn.events.find((event) => event.name === 'ticketflow.conflict');
    expect(conflict?.attributes).toEqual({ 'ticketflow.conflict.attempt': 1, 'ticketflow.ticket.version': result.ticket.version });
    expect(await otel.sum('ticketflow.conflicts', { 'ticketflow.operation': 'handle' })).toBe(1);
  });

  it('E4 a recovery by the sweeper is an invoke_agent recover operation with a recovery event, and counted', async () => {
    const otel = otelHarness();
    const domain = otelDomain();
    const data = new MemoryStoreData();
    const crashing = new CrashingTicketStore(new MemoryTicketStore({ data }), { atWrite: 2, point: 'after-write' });
    const lease = 1_000;
    const dead = otelAgent({
      domain,
      store: crashing,
      llm: new MockLLM({ fallback: DECISIONS.noInternetWithAccount }),
      leaseMs: lease,
      instanceId: 'worker-a',
    });
    void dead.agent.handle({ ticketId: 'T-rec', message: 'no internet on A-100' });
    await crashing.crashed;
    const { agent } = otelAgent({ domain, data, leaseMs: lease, instanceId: 'worker-b', now: () => Date.now() + lease + 10, maxClockSkewMs: 0 });
    instrumentAgent(agent, { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider });
    const report = await agent.recover();
    expect(report.recovered).toBe(1);
    const turn = otel.one('invoke_agent ticketflow');
    expect(turn.attributes).toMatchObject({ 'ticketflow.operation': 'recover', 'gen_ai.conversation.id': 'T-rec' });
    const recovery = turn.events.find((event) => event.name === 'ticketflow.recovery');
    expect(recovery?.attributes).toMatchObject({ 'gen_ai.workflow.name': 'fix_line' });
    expect(typeof recovery?.attributes?.['ticketflow.ticket.version']).toBe('number');
    expect(await otel.sum('ticketflow.recoveries', { 'gen_ai.workflow.name': 'fix_line' })).toBe(1);
    expect(await otel.sum('ticketflow.turns', { 'ticketflow.operation': 'recover' })).toBe(1);
  });
});
