/**
 * The names this package emits: the OpenTelemetry GenAI semantic conventions (agent, inference
 * and tool spans; client metrics) where they have one, `ticketflow.*` for the rest.
 */

/** The instrumentation scope: the tracer's and the meter's name. */
export const SCOPE_NAME = '@ticketflow/otel';

declare const __TICKETFLOW_OTEL_VERSION__: string;

/** The package version (set at build time), the instrumentation scope's version. */
export const SCOPE_VERSION: string = typeof __TICKETFLOW_OTEL_VERSION__ === 'string' ? __TICKETFLOW_OTEL_VERSION__ : '0.0.0';

/** The agent's name in `gen_ai.agent.name` and in the `invoke_agent` span's name. */
export const AGENT_NAME = 'ticketflow';

export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  agentName: 'gen_ai.agent.name',
  conversationId: 'gen_ai.conversation.id',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  finishReasons: 'gen_ai.response.finish_reasons',
  outputType: 'gen_ai.output.type',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  tokenType: 'gen_ai.token.type',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  workflowName: 'gen_ai.workflow.name',
  toolName: 'gen_ai.tool.name',
  toolType: 'gen_ai.tool.type',
  toolCallId: 'gen_ai.tool.call.id',
  toolCallArguments: 'gen_ai.tool.call.arguments',
  toolCallResult: 'gen_ai.tool.call.result',
} as const;

export const ERROR_TYPE = 'error.type';

export const TICKETFLOW = {
  operation: 'ticketflow.operation',
  messageId: 'ticketflow.message.id',
  turn: 'ticketflow.turn',
  action: 'ticketflow.action',
  intent: 'ticketflow.intent',
  confidence: 'ticketflow.confidence',
  version: 'ticketflow.ticket.version',
  degraded: 'ticketflow.degraded',
  duplicate: 'ticketflow.duplicate',
  executionOutcome: 'ticketflow.execution.outcome',
  executionId: 'ticketflow.execution.id',
  executionTurn: 'ticketflow.execution.turn',
  resumed: 'ticketflow.execution.resumed',
  suspendReason: 'ticketflow.execution.suspend_reason',
  slot: 'ticketflow.slot',
  entities: 'ticketflow.entities',
  llmPurpose: 'ticketflow.llm.purpose',
  llmAttempt: 'ticketflow.llm.attempt',
  step: 'ticketflow.step',
  compensation: 'ticketflow.compensation',
  undoes: 'ticketflow.compensation.undoes',
  toolOutcome: 'ticketflow.tool.outcome',
  toolAttempts: 'ticketflow.tool.attempts',
  toolAttempt: 'ticketflow.tool.attempt',
  unfinished: 'ticketflow.unfinished',
} as const;

/** Span names (the GenAI conventions' `{operation} {name}`). */
export const SPAN = {
  agent: `invoke_agent ${AGENT_NAME}`,
  chat: 'chat',
  workflow: 'invoke_workflow',
  tool: 'execute_tool',
} as const;

/** Span event names. */
export const EVENT = {
  conflict: 'ticketflow.conflict',
  recovery: 'ticketflow.recovery',
  approval: 'ticketflow.approval',
  duplicate: 'ticketflow.duplicate',
  circuitOpened: 'ticketflow.circuit_opened',
  circuitClosed: 'ticketflow.circuit_closed',
  suspended: 'ticketflow.execution.suspended',
  resumed: 'ticketflow.execution.resumed',
  lost: 'ticketflow.execution.lost',
  llmSkipped: 'ticketflow.llm.skipped',
  toolRetried: 'ticketflow.tool.retried',
} as const;

/** Metric names, as DESIGN §8 and the GenAI client metrics name them. */
export const METRIC = {
  operationDuration: 'gen_ai.client.operation.duration',
  tokenUsage: 'gen_ai.client.token.usage',
  turns: 'ticketflow.turns',
  turnDuration: 'ticketflow.turn.duration',
  llmFailures: 'ticketflow.llm.failures',
  toolCalls: 'ticketflow.tool.calls',
  compensations: 'ticketflow.compensations',
  conflicts: 'ticketflow.conflicts',
  recoveries: 'ticketflow.recoveries',
} as const;
