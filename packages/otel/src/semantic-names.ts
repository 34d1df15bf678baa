/**
 * The span, event and metric names this package emits: the OpenTelemetry GenAI semantic
 * conventions' (agent, inference and tool spans; client metrics) where they have one,
 * `ticketflow.*` for the rest. Attribute keys are written out where they are set, exactly as
 * the conventions spell them (`gen_ai.tool.call.id`), so that a search finds them.
 */

/** The instrumentation scope: the tracer's and the meter's name. */
export const SCOPE_NAME = '@ticketflow/otel';

declare const __TICKETFLOW_OTEL_VERSION__: string;

/** The package version (set at build time), the instrumentation scope's version. */
export const SCOPE_VERSION: string = typeof __TICKETFLOW_OTEL_VERSION__ === 'string' ? __TICKETFLOW_OTEL_VERSION__ : '0.0.0';

/** The agent's name in `gen_ai.agent.name` and in the `invoke_agent` span's name. */
export const AGENT_NAME = 'ticketflow';

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
