import { type Attributes, context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { LLMAttemptEnd, LLMAttemptObserver, LLMAttemptStart } from '@ticketflow/core';
import { AgentMetrics } from './agent-metrics.js';
import { quietly } from './instrumentation-kit.js';
import type { Abandonable, OperationScope } from './operation-scope.js';
import { ERROR_TYPE, GEN_AI, SPAN, TICKETFLOW } from './semantic-names.js';

/**
 * One LLM request: a `chat {model}` span (CLIENT, per the GenAI inference spans), one per
 * attempt — a retry, the re-ask and each fallback hop are spans of their own — and the
 * `gen_ai.client.*` metrics.
 */
export class ChatSpan implements LLMAttemptObserver, Abandonable {
  private readonly span: Span;
  private readonly requestModel: string | undefined;
  private done = false;

  constructor(
    private readonly scope: OperationScope,
    private readonly start: LLMAttemptStart,
  ) {
    const { kit } = scope;
    this.requestModel = start.model ?? kit.models.get(start.provider);
    const attributes: Attributes = {
      [GEN_AI.operationName]: 'chat',
      [GEN_AI.providerName]: start.provider,
      [GEN_AI.outputType]: 'json',
      [TICKETFLOW.llmPurpose]: start.purpose,
      [TICKETFLOW.llmAttempt]: start.attempt,
    };
    if (this.requestModel) attributes[GEN_AI.requestModel] = this.requestModel;
    this.span = kit.tracer.startSpan(this.requestModel ? `${SPAN.chat} ${this.requestModel}` : SPAN.chat, { kind: SpanKind.CLIENT, attributes }, scope.context);
    const prompt = kit.content.messages('user', start.prompt);
    if (prompt !== undefined) this.span.setAttribute(GEN_AI.inputMessages, prompt);
    scope.track(this);
  }

  run<T>(work: () => T): T {
    const active = quietly(() => trace.setSpan(this.scope.context, this.span));
    return active ? context.with(active, work) : work();
  }

  ended(end: LLMAttemptEnd): void {
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

  private finish(end: LLMAttemptEnd): void {
    const { span, start } = this;
    const model = this.requestModel ?? end.model;
    if (end.model) {
      span.setAttribute(GEN_AI.responseModel, end.model);
      if (!this.requestModel) span.updateName(`${SPAN.chat} ${end.model}`);
    }
    if (end.usage) {
      span.setAttribute(GEN_AI.inputTokens, end.usage.inputTokens);
      span.setAttribute(GEN_AI.outputTokens, end.usage.outputTokens);
    }
    if (end.finishReason) span.setAttribute(GEN_AI.finishReasons, [end.finishReason]);
    if (end.ok) {
      const text = this.scope.kit.content.messages('assistant', end.text, end.finishReason);
      if (text !== undefined) span.setAttribute(GEN_AI.outputMessages, text);
      if (end.model) {
        this.scope.kit.models.set(start.provider, end.model);
        this.scope.answered(start.provider, end.model);
      }
    } else {
      span.setAttribute(ERROR_TYPE, end.errorKind ?? '_OTHER');
      span.setStatus({ code: SpanStatusCode.ERROR, message: `LLM request failed: ${end.errorKind ?? 'unknown'}` });
    }
    span.end();
    this.record(end, model);
  }

  private record(end: LLMAttemptEnd, model: string | undefined): void {
    const metrics = this.scope.kit.metrics();
    const attributes: Attributes = { [GEN_AI.operationName]: 'chat', [GEN_AI.providerName]: this.start.provider };
    if (model) attributes[GEN_AI.requestModel] = model;
    if (end.model) attributes[GEN_AI.responseModel] = end.model;
    if (!end.ok) attributes[ERROR_TYPE] = end.errorKind ?? '_OTHER';
    AgentMetrics.record(metrics.operationDuration, end.latencyMs / 1_000, attributes);
    if (end.usage) {
      AgentMetrics.record(metrics.tokenUsage, end.usage.inputTokens, { ...attributes, [GEN_AI.tokenType]: 'input' });
      AgentMetrics.record(metrics.tokenUsage, end.usage.outputTokens, { ...attributes, [GEN_AI.tokenType]: 'output' });
    }
    if (!end.ok) AgentMetrics.count(metrics.llmFailures, { [GEN_AI.providerName]: this.start.provider, [ERROR_TYPE]: end.errorKind ?? '_OTHER' });
  }
}
