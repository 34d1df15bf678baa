// @ticketflow/otel: OpenTelemetry traces and metrics of ticketflow agents (DESIGN §8).

export { instrumentAgent } from './instrument-agent.js';
export type { InstrumentAgentOptions } from './instrument-options.js';
export { AGENT_NAME, METRIC as METRIC_NAMES, SCOPE_NAME } from './semantic-names.js';
