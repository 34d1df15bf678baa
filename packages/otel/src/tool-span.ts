import { type Attributes, context, type Context, type Link, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ToolCallEnd, ToolCallObserver, ToolCallStart } from '@ticketflow/core';
import { AgentMetrics } from './agent-metrics.js';
import { quietly } from './instrumentation-kit.js';
import type { Abandonable, OperationScope } from './operation-scope.js';
import { ERROR_TYPE, EVENT, GEN_AI, SPAN, TICKETFLOW } from './semantic-names.js';
import { StepLinks } from './step-links.js';

const FAILED = new Set(['failed', 'compensation_failed']);

/**
 * One tool call or compensation: an `execute_tool {tool}` span under its workflow's span.
 * `gen_ai.tool.call.id` is the journal step (never the idempotency key, which may reveal
 * what the app derived it from); a compensation carries `ticketflow.compensation = true` and
 * a link to the span of the call it undoes (when that call ran in this process).
 */
export class ToolSpan implements ToolCallObserver, Abandonable {
  private readonly span: Span;
  private done = false;

  constructor(
    private readonly scope: OperationScope,
    private readonly parent: Context,
    executionId: string,
    private readonly start: ToolCallStart,
  ) {
    const { kit } = scope;
    const attributes: Attributes = {
      [GEN_AI.operationName]: 'execute_tool',
      [GEN_AI.toolName]: start.tool,
      [GEN_AI.toolType]: 'function',
      [GEN_AI.toolCallId]: String(start.step),
      [TICKETFLOW.step]: start.step,
      [TICKETFLOW.compensation]: start.compensation,
    };
    const links: Link[] = [];
    if (start.compensation && start.undoes !== undefined) {
      attributes[TICKETFLOW.undoes] = start.undoes;
      const undone = kit.links.find(StepLinks.key(scope.ticketId, executionId, start.undoes));
      if (undone) links.push({ context: undone, attributes: { [TICKETFLOW.step]: start.undoes } });
    }
    this.span = kit.tracer.startSpan(`${SPAN.tool} ${start.tool}`, { kind: SpanKind.INTERNAL, attributes, links }, parent);
    if (!start.compensation) kit.links.remember(StepLinks.key(scope.ticketId, executionId, start.step), this.span.spanContext());
    const input = kit.content.json(start.input);
    if (input !== undefined) this.span.setAttribute(GEN_AI.toolCallArguments, input);
    scope.track(this);
  }

  retried(attempt: number, error: string): void {
    quietly(() => {
      const attributes: Attributes = { [TICKETFLOW.toolAttempt]: attempt };
      const message = this.scope.kit.content.text(error);
      if (message !== undefined) attributes['exception.message'] = message;
      this.span.addEvent(EVENT.toolRetried, attributes);
    });
  }

  run<T>(work: () => T): T {
    const active = quietly(() => trace.setSpan(this.parent, this.span));
    return active ? context.with(active, work) : work();
  }

  ended(end: ToolCallEnd): void {
    if (this.done) return;
    this.done = true;
    quietly(() => this.finish(end));
    this.scope.untrack(this);
  }

  abandon(): void {
    if (this.done) return;
    this.done = true;
    quietly(() => {
      this.span.setAttribute(TICKETFLOW.unfinished, true);
      this.span.end();
    });
  }

  private finish(end: ToolCallEnd): void {
    const { span, start, scope } = this;
    span.setAttribute(TICKETFLOW.toolOutcome, end.outcome);
    span.setAttribute(TICKETFLOW.toolAttempts, end.attempts);
    const output = scope.kit.content.json(end.output);
    if (output !== undefined) span.setAttribute(GEN_AI.toolCallResult, output);
    if (FAILED.has(end.outcome)) {
      span.setAttribute(ERROR_TYPE, end.outcome);
      const message = scope.kit.content.text(end.error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: message ?? `${start.compensation ? 'compensation' : 'tool call'} failed after ${end.attempts} attempt(s)` });
    }
    span.end();
    const metrics = scope.kit.metrics();
    AgentMetrics.count(metrics.toolCalls, { [GEN_AI.toolName]: start.tool, [TICKETFLOW.toolOutcome]: end.outcome, [TICKETFLOW.compensation]: start.compensation });
    if (start.compensation) AgentMetrics.count(metrics.compensations, { [GEN_AI.toolName]: start.tool, [TICKETFLOW.toolOutcome]: end.outcome });
  }
}
