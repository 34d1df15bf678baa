import { type Attributes, type Context, context, type Span, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import type { ExecutionObserver, LLMAttemptObserver, LLMAttemptStart, OperationEnd, OperationObserver, OperationStart, TicketEvent } from '@ticketflow/core';
import { AgentMetrics } from './agent-metrics.js';
import { ChatSpan } from './chat-span.js';
import { errorTypeOf, exceptionOf } from './error-type.js';
import { eventAttributes } from './event-attributes.js';
import { type InstrumentationKit, quietly } from './instrumentation-kit.js';
import { type Abandonable, type OperationScope, preciseNow } from './operation-scope.js';
import { AGENT_NAME, EVENT, SPAN } from './semantic-names.js';
import { WorkflowSpan } from './workflow-span.js';

/** The core's marks that carry the ticket version the operation committed. */
const VERSIONED = new Set(['conflict', 'recovery', 'approval', 'duplicate']);

interface Mark {
  name: string;
  attributes: Attributes;
  versioned: boolean;
  time: number;
}

/**
 * One operation of the agent (`handle`, `approve`, `reject`, `release`, a recovery): an
 * `invoke_agent ticketflow` span (INTERNAL), child of the span active where the operation
 * was called; its LLM requests and its workflow are its children. It ends with the turn's
 * outcome and with an error status only when the call rejected: a degraded turn is an answer
 * (`ticketflow.degraded = true`), not an error of the agent.
 */
export class OperationSpan implements OperationObserver, OperationScope {
  readonly context: Context;
  readonly ticketId: string;
  readonly operation: OperationStart['operation'];
  private readonly span: Span;
  private readonly startedAt = performance.now();
  private readonly marks: Mark[] = [];
  private readonly open = new Set<Abandonable>();
  private provider: string | undefined;
  private model: string | undefined;
  private done = false;

  constructor(
    readonly kit: InstrumentationKit,
    start: OperationStart,
  ) {
    this.ticketId = start.ticketId;
    this.operation = start.operation;
    const attributes: Attributes = {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': AGENT_NAME,
      'gen_ai.conversation.id': start.ticketId,
      'ticketflow.operation': start.operation,
    };
    if (start.messageId) attributes['ticketflow.message.id'] = start.messageId;
    const parent = context.active();
    this.span = kit.tracer.startSpan(SPAN.agent, { kind: SpanKind.INTERNAL, attributes }, parent);
    this.context = trace.setSpan(parent, this.span);
  }

  track(span: Abandonable): void {
    this.open.add(span);
  }

  untrack(span: Abandonable): void {
    this.open.delete(span);
  }

  mark(name: string, attributes: Attributes, versioned: boolean): void {
    if (!this.done) this.marks.push({ name, attributes, versioned, time: preciseNow() });
  }

  answered(provider: string, model: string | undefined): void {
    this.provider = provider;
    this.model = model;
  }

  llmAttempt(start: LLMAttemptStart): LLMAttemptObserver | undefined {
    return quietly(() => new ChatSpan(this, start));
  }

  providerSkipped(provider: string): void {
    this.mark(EVENT.llmSkipped, { 'gen_ai.provider.name': String(provider), 'ticketflow.llm.skip_reason': 'circuit_open' }, false);
  }

  execution(start: { workflow: string; executionId: string; turn: number; resumed: boolean }): ExecutionObserver | undefined {
    return quietly(() => new WorkflowSpan(this, start));
  }

  event(name: string, attributes: Record<string, string | number | boolean>): void {
    quietly(() => {
      const mapped = eventAttributes(name, attributes);
      this.mark(`ticketflow.${name}`, mapped, VERSIONED.has(name));
      const metrics = this.kit.metrics();
      if (name === 'conflict') AgentMetrics.count(metrics.conflicts, this.operation, () => ({ 'ticketflow.operation': this.operation }));
      if (name === 'recovery')
        AgentMetrics.count(metrics.recoveries, String(attributes?.workflow ?? ''), () => ({ 'gen_ai.workflow.name': String(attributes?.workflow ?? '') }));
    });
  }

  committed(events: readonly TicketEvent[]): void {
    if (this.kit.content.enabled) quietly(() => this.capture(events));
  }

  logFields(): Record<string, string> {
    const spanContext = this.span.spanContext();
    if (!trace.isSpanContextValid(spanContext)) return {};
    return { trace_id: spanContext.traceId, span_id: spanContext.spanId, trace_flags: `0${(spanContext.traceFlags & TraceFlags.SAMPLED).toString(16)}` };
  }

  ended(end: OperationEnd): void {
    if (this.done) return;
    quietly(() => this.finish(end));
    this.done = true;
  }

  /** Message, reply and entities of the committed events, redacted (content capture only). */
  private capture(events: readonly TicketEvent[]): void {
    const { content } = this.kit;
    for (const event of events) {
      let value: string | undefined;
      if (event.type === 'message.received' && (value = content.messages('user', event.data.text)) !== undefined)
        this.span.setAttribute('gen_ai.input.messages', value);
      if ((event.type === 'reply.sent' || event.type === 'turn.completed') && (value = content.messages('assistant', event.data.reply, 'stop')) !== undefined)
        this.span.setAttribute('gen_ai.output.messages', value);
      if (event.type === 'decision.made' && (value = content.json(event.data.entities)) !== undefined) this.span.setAttribute('ticketflow.entities', value);
    }
  }

  private finish(end: OperationEnd): void {
    for (const child of [...this.open]) child.abandon();
    this.open.clear();
    const { span } = this;
    const action = end.action?.type ?? 'none';
    span.setAttributes(outcomeAttributes(end, action));
    if (this.provider) span.setAttribute('gen_ai.provider.name', this.provider);
    if (this.model) span.setAttribute('gen_ai.request.model', this.model);
    for (const mark of this.marks) {
      const versioned = mark.versioned && end.version !== null && mark.attributes['ticketflow.ticket.version'] === undefined;
      span.addEvent(mark.name, versioned ? { ...mark.attributes, 'ticketflow.ticket.version': end.version! } : mark.attributes, mark.time);
    }
    const metricAttributes: Attributes = { 'ticketflow.operation': this.operation, 'ticketflow.action': action };
    if (end.error !== undefined) {
      const type = errorTypeOf(end.error);
      metricAttributes['error.type'] = type;
      span.setAttribute('error.type', type);
      span.recordException(exceptionOf(end.error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: end.error instanceof Error ? end.error.message : type });
    }
    span.end();
    const metrics = this.kit.metrics();
    AgentMetrics.count(metrics.turns, `${this.operation}\u0001${action}\u0001${metricAttributes['error.type'] ?? ''}`, () => metricAttributes);
    AgentMetrics.record(metrics.turnDuration, (performance.now() - this.startedAt) / 1_000, metricAttributes);
  }
}

function outcomeAttributes(end: OperationEnd, action: string): Attributes {
  const attributes: Attributes = {
    'ticketflow.turn': end.turn,
    'ticketflow.action': action,
    'ticketflow.degraded': end.degraded,
    'ticketflow.duplicate': end.duplicate,
  };
  if (end.intent !== null && end.intent !== undefined) attributes['ticketflow.intent'] = end.intent;
  if (typeof end.confidence === 'number') attributes['ticketflow.confidence'] = end.confidence;
  if (typeof end.version === 'number') attributes['ticketflow.ticket.version'] = end.version;
  const taken = end.action;
  if (taken?.type === 'execute') attributes['ticketflow.execution.outcome'] = taken.outcome;
  if (taken && 'workflow' in taken && typeof taken.workflow === 'string') attributes['gen_ai.workflow.name'] = taken.workflow;
  if (taken?.type === 'ask') attributes['ticketflow.slot'] = taken.slot;
  return attributes;
}
