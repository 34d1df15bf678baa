export { HOSTILE_TICKET_IDS, runTicketStoreConformance } from './ticket-store-conformance.js';
export type { TicketStoreCapabilities, TicketStoreConformanceOptions } from './ticket-store-conformance.js';
export { expectNoSecret } from './llm-conformance-secrets.js';
export { expectLLMError, expectWellFormedResponse, rejectionOf, runLLMConformance } from './llm-conformance.js';
export type { ExpectedLLMAnswer, LLMConformanceCapabilities, LLMConformanceContext, LLMConformanceOptions, LLMScenario } from './llm-conformance.js';
export { runHttpLLMConformance } from './llm-conformance-http.js';
export type { HttpLLMCapabilities, HttpLLMConformanceContext, HttpLLMConformanceOptions, WireExchanges } from './llm-conformance-http.js';
export { DECISION_JSON_SCHEMA, generatedVariations } from './llm-conformance-variations.js';
export type { GeneratedVariation } from './llm-conformance-variations.js';
export { API_KEY_PLACEHOLDER, echoExchange, LoopbackLLMServer, refusedConnectionUrl } from './loopback-llm-server.js';
export type {
  CapturedRequest,
  EchoEncoding,
  EchoFormat,
  LoopbackBehaviour,
  LoopbackHandler,
  LoopbackLLMServerOptions,
  RecordedExchange,
} from './loopback-llm-server.js';
export { CrashingTicketStore } from './crashing-ticket-store.js';
export type { CrashPoint } from './crashing-ticket-store.js';
export { runScenario, ScenarioError } from './run-scenario.js';
export type { ScenarioStep } from './run-scenario.js';
export { closedPort } from './closed-port.js';
export { probeServer, requireTestServer } from './require-test-server.js';
export type { RequireTestServerOptions } from './require-test-server.js';
