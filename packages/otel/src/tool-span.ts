import { type Attributes, context, type Context, type Link, type Span, type SpanContext, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ToolCallEnd, ToolCallObserver, ToolCallStart } from '@ticketflow/core';
import { AgentMetrics } from './agent-metrics.js';
import { quietly } from './instrumentation-kit.js';
import { EndableSpan } from './endable-span.js';
import type { OperationScope } from './operation-scope.js';
import { EVENT, SPAN } from './semantic-names.js';

const FAILED = new Set(['failed', 'compensation_failed']);

/**
 * One tool call or compensation: an `execute_tool {tool}` span under its workflow's span.
 * `gen_ai.tool.call.id` is the journal step (never the idempotency key, which may reveal
 * what the app derived it from); a compensation carries `ticketflow.compensation = true` and
 * a link to the span of the call it undoes (when that call ran in this process).
 */
export class ToolSpan extends EndableSpan<ToolCallEnd> implements ToolCallObserver {
  protected readonly span: Span;

  constructor(
    scope: OperationScope,
    private readonly parent: Context,
    steps: SpanContext[],
    private readonly start: ToolCallStart,
  ) {
    super(scope);
    const { kit } = scope;
    const attributes: Attributes = {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': start.tool,
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.id': String(start.step),
      'ticketflow.step': start.step,
      'ticketflow.compensation': start.compensation,
    };
    const links: Link[] = [];
    if (start.compensation && start.undoes !== undefined) {
      attributes['ticketflow.compensation.undoes'] = start.undoes;
      const undone = steps[start.undoes];
      if (undone) links.push({ context: undone, attributes: { 'ticketflow.step': start.undoes } });
    }
    this.span = kit.tracer.startSpan(`${SPAN.tool} ${start.tool}`, { kind: SpanKind.INTERNAL, attributes, links }, parent);
    if (!start.compensation && Number.isSafeInteger(start.step) && start.step >= 0 && start.step < 10_000) steps[start.step] = this.span.spanContext();
    const input = kit.content.json(start.input);
    if (input !== undefined) this.span.setAttribute('gen_ai.tool.call.arguments', input);
    scope.track(this);
  }

  retried(attempt: number, error: string): void {
    quietly(() => {
      const attributes: Attributes = { 'ticketflow.tool.attempt': attempt };
      const message = this.scope.kit.content.text(error);
      if (message !== undefined) attributes['exception.message'] = message;
      this.span.addEvent(EVENT.toolRetried, attributes);
    });
  }

  run<T>(work: () => T): T {
    const active = quietly(() => trace.setSpan(this.parent, this.span));
    return active ? context.with(active, work) : work();
  }

  protected finish(end: ToolCallEnd): void {
    const { span, start, scope } = this;
    span.setAttribute('ticketflow.tool.outcome', end.outcome);
    span.setAttribute('ticketflow.tool.attempts', end.attempts);
    const output = scope.kit.content.json(end.output);
    if (output !== undefined) span.setAttribute('gen_ai.tool.call.result', output);
    if (FAILED.has(end.outcome)) {
      span.setAttribute('error.type', end.outcome);
      const message = scope.kit.content.text(end.error);
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: message ?? `${start.compensation ? 'compensation' : 'tool call'} failed after ${end.attempts} attempt(s)`,
      });
    }
    span.end();
    const metrics = scope.kit.metrics();
    const key = `${start.tool}\u0001${end.outcome}\u0001${start.compensation}`;
    AgentMetrics.count(metrics.toolCalls, key, () => ({
      'gen_ai.tool.name': start.tool,
      'ticketflow.tool.outcome': end.outcome,
      'ticketflow.compensation': start.compensation,
    }));
    if (start.compensation) AgentMetrics.count(metrics.compensations, key, () => ({ 'gen_ai.tool.name': start.tool, 'ticketflow.tool.outcome': end.outcome }));
  }
}
