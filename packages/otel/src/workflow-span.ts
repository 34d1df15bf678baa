import { type Attributes, type Context, type Span, type SpanContext, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ExecutionObserver, ToolCallObserver, ToolCallStart } from '@ticketflow/core';
import { quietly } from './instrumentation-kit.js';
import { eventAttributes } from './event-attributes.js';
import { EndableSpan } from './endable-span.js';
import type { OperationScope } from './operation-scope.js';
import { EVENT, SPAN } from './semantic-names.js';
import { ToolSpan } from './tool-span.js';

/** The workflow outcomes that are failures of the workflow (its steps were rolled back, or could not be). */
const FAILED = new Set(['failed', 'needs_human', 'lost']);
/** The outcomes that park the execution, and why. */
const SUSPENDED: Readonly<Record<string, string>> = { awaiting_approval: 'approval', ask: 'input' };

/** One execution of a workflow: an `invoke_workflow {workflow}` span, parent of its tool calls. */
export class WorkflowSpan extends EndableSpan<{ outcome: string; error?: string }> implements ExecutionObserver {
  protected readonly span: Span;
  private readonly context: Context;
  /** The spans of this execution's steps (shared with a later operation on it, for links). */
  private readonly steps: SpanContext[];

  constructor(
    scope: OperationScope,
    private readonly start: { workflow: string; executionId: string; turn: number; resumed: boolean },
  ) {
    super(scope);
    const attributes: Attributes = {
      'gen_ai.operation.name': 'invoke_workflow',
      'gen_ai.workflow.name': start.workflow,
      'ticketflow.execution.id': start.executionId,
      'ticketflow.execution.turn': start.turn,
      'ticketflow.execution.resumed': start.resumed,
    };
    this.span = scope.kit.tracer.startSpan(`${SPAN.workflow} ${start.workflow}`, { kind: SpanKind.INTERNAL, attributes }, scope.context);
    this.context = trace.setSpan(scope.context, this.span);
    this.steps = scope.kit.links.of(scope.ticketId, start.executionId);
    if (start.resumed) scope.mark(EVENT.resumed, { 'gen_ai.workflow.name': start.workflow }, true);
    scope.track(this);
  }

  toolCall(start: ToolCallStart): ToolCallObserver | undefined {
    return quietly(() => new ToolSpan(this.scope, this.context, this.steps, start));
  }

  event(name: string, attributes: Record<string, string | number | boolean>): void {
    quietly(() => this.span.addEvent(`ticketflow.execution.${name}`, eventAttributes(`execution.${name}`, attributes)));
  }

  protected finish({ outcome, error }: { outcome: string; error?: string }): void {
    const { span, scope } = this;
    span.setAttribute('ticketflow.execution.outcome', outcome);
    const reason = SUSPENDED[outcome];
    if (reason) scope.mark(EVENT.suspended, { 'gen_ai.workflow.name': this.start.workflow, 'ticketflow.execution.suspend_reason': reason }, true);
    if (FAILED.has(outcome)) {
      span.setAttribute('error.type', outcome);
      span.setStatus({ code: SpanStatusCode.ERROR, message: scope.kit.content.text(error) ?? `the workflow ended ${outcome}` });
    }
    span.end();
  }
}
