import { type Attributes, context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { LLMAttemptEnd, LLMAttemptObserver, LLMAttemptStart } from '@ticketflow/core';
import { AgentMetrics } from './agent-metrics.js';
import { quietly } from './instrumentation-kit.js';
import { EndableSpan } from './endable-span.js';
import type { OperationScope } from './operation-scope.js';
import { SPAN } from './semantic-names.js';

/**
 * One LLM request: a `chat {model}` span (CLIENT, per the GenAI inference spans), one per
 * attempt — a retry, the re-ask and each fallback hop are spans of their own — and the
 * `gen_ai.client.*` metrics.
 */
export class ChatSpan extends EndableSpan<LLMAttemptEnd> implements LLMAttemptObserver {
  protected readonly span: Span;
  private readonly requestModel: string | undefined;

  constructor(
    scope: OperationScope,
    private readonly start: LLMAttemptStart,
  ) {
    super(scope);
    const { kit } = scope;
    this.requestModel = start.model ?? kit.models.get(start.provider);
    const attributes: Attributes = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': start.provider,
      'gen_ai.output.type': 'json',
      'ticketflow.llm.purpose': start.purpose,
      'ticketflow.llm.attempt': start.attempt,
    };
    if (this.requestModel) attributes['gen_ai.request.model'] = this.requestModel;
    this.span = kit.tracer.startSpan(this.requestModel ? `${SPAN.chat} ${this.requestModel}` : SPAN.chat, { kind: SpanKind.CLIENT, attributes }, scope.context);
    // The prompt is recorded when the attempt ends: only then does the core know the sensitive values it quotes (P1).
    scope.track(this);
  }

  run<T>(work: () => T): T {
    const active = quietly(() => trace.setSpan(this.scope.context, this.span));
    return active ? context.with(active, work) : work();
  }

  protected finish(end: LLMAttemptEnd): void {
    const { span, start } = this;
    const model = this.requestModel ?? end.model;
    const prompt = this.scope.kit.content.messages('user', end.prompt ?? start.prompt);
    if (prompt !== undefined) span.setAttribute('gen_ai.input.messages', prompt);
    if (end.model) {
      span.setAttribute('gen_ai.response.model', end.model);
      if (!this.requestModel) span.updateName(`${SPAN.chat} ${end.model}`);
    }
    if (end.usage) {
      span.setAttribute('gen_ai.usage.input_tokens', end.usage.inputTokens);
      span.setAttribute('gen_ai.usage.output_tokens', end.usage.outputTokens);
    }
    if (end.finishReason) span.setAttribute('gen_ai.response.finish_reasons', [end.finishReason]);
    if (end.ok) {
      const text = this.scope.kit.content.messages('assistant', end.text, end.finishReason);
      if (text !== undefined) span.setAttribute('gen_ai.output.messages', text);
      if (end.model) {
        this.scope.kit.models.set(start.provider, end.model);
        this.scope.answered(start.provider, end.model);
      }
    } else {
      span.setAttribute('error.type', end.errorKind ?? '_OTHER');
      span.setStatus({ code: SpanStatusCode.ERROR, message: `LLM request failed: ${end.errorKind ?? 'unknown'}` });
    }
    span.end();
    this.record(end, model);
  }

  private record(end: LLMAttemptEnd, model: string | undefined): void {
    const metrics = this.scope.kit.metrics();
    const attributes: Attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': this.start.provider };
    if (model) attributes['gen_ai.request.model'] = model;
    if (end.model) attributes['gen_ai.response.model'] = end.model;
    if (!end.ok) attributes['error.type'] = end.errorKind ?? '_OTHER';
    AgentMetrics.record(metrics.operationDuration, end.latencyMs / 1_000, attributes);
    if (end.usage) {
      AgentMetrics.record(metrics.tokenUsage, end.usage.inputTokens, { ...attributes, 'gen_ai.token.type': 'input' });
      AgentMetrics.record(metrics.tokenUsage, end.usage.outputTokens, { ...attributes, 'gen_ai.token.type': 'output' });
    }
    if (!end.ok)
      AgentMetrics.count(metrics.llmFailures, `${this.start.provider}\u0001${end.errorKind}`, () => ({
        'gen_ai.provider.name': this.start.provider,
        'error.type': end.errorKind ?? '_OTHER',
      }));
  }
}
