// The app developer's entry: agents, definitions, stores in memory, errors, events and hooks.
// Adapter authors: see `@ticketflow/core/adapter`; tests: `@ticketflow/core/testing`.

export { createAgent } from './agent/create-agent.js';
export type { Agent, AgentListQuery } from './agent/create-agent.js';
export type { AgentOptions } from './agent/agent-options.js';
export type { LLMPrice, Logger } from './runtime/runtime.js';
export type { ApprovalDecision } from './turn/decide-approval.js';
export type { RecoveryReport } from './turn/recover-tickets.js';
export { DEFAULT_REPLIES } from './model/replies.js';
export type { Replies } from './model/replies.js';
export type { ApprovalResult, TicketInspection, TurnResult } from './turn/turn-result.js';
export type { HandleInput } from './agent/validate-input.js';
export { replayTicket } from './replay/replay-ticket.js';
export { REPLAY_OPTION_NAMES } from './replay/validate-replay-options.js';
export type { Divergence, ReplayedTurn, ReplayOptions, ReplayReport } from './replay/replay-ticket.js';
export type { RecordedOperation, ToolCallRecord } from './replay/replay-script.js';

export { defineIntent } from './model/intent.js';
export type { IntentConfig, IntentDefinition } from './model/intent.js';
export { DEFAULT_STABLE_SLOTS, defineSlot } from './model/slot.js';
export type { AnySlotDefinition, SlotConfig, SlotDefinition, SlotInference, SlotValueOf, SlotValues } from './model/slot.js';
export { DEFAULT_TOOL_TIMEOUT_MS, defineTool, NonRetryableError } from './model/tool.js';
export type {
  AnyToolDefinition,
  ApprovalContext,
  CompensationContext,
  CompensationReason,
  PreviousToolCall,
  ToolConfig,
  ToolContext,
  ToolDefinition,
  ToolInputOf,
  ToolOutputOf,
} from './model/tool.js';
export { defineWorkflow } from './model/workflow.js';
export type {
  AbandonPolicy,
  AskOptions,
  SlotList,
  ToolList,
  WorkflowConfig,
  WorkflowContext,
  WorkflowDefinition,
  WorkflowResult,
  WorkflowSlots,
  WorkflowStatus,
} from './model/workflow.js';
export { RESERVED_SLOTS } from './model/action.js';
export type { Action, ExecutionOutcome } from './model/action.js';
export { TICKET_SCHEMA_VERSION, TICKET_STATUSES } from './model/ticket.js';
export { ticketDocSchema } from './model/ticket-schema.js';
export type * from './model/ticket.js';

export { decisionSchema } from './decide/decision.js';
export type { Decision } from './decide/decision.js';
export { extractJson, parseDecision } from './decide/parse-decision.js';
export type { ParsedDecision } from './decide/parse-decision.js';
export { buildDecisionPrompt, extractLatestMessage, readPromptContext } from './decide/build-prompt.js';
export type { PromptContext } from './decide/build-prompt.js';
export { buildDecisionJsonSchema } from './decide/decision-json-schema.js';

export { ticketLifecycle } from './lifecycle/ticket-lifecycle.js';
export type { LifecycleEvent, LifecycleTransition, TicketLifecycle } from './lifecycle/ticket-lifecycle.js';

export type {
  AgentHookListener,
  AgentHookMap,
  AgentHookName,
  DecisionHookEvent,
  EventHookPayload,
  ListenerFailedHookEvent,
  TicketEventHookEvent,
  TurnCompletedHookEvent,
} from './events/agent-hooks.js';
export type { LLMAttemptData, StepRef, StoredTicketEvent, TicketEvent, TicketEventMap, TicketEventType, UndoReason } from './events/ticket-event-map.js';
export type * from './events/instrumentation.js';

export { ConfigurationError, InvalidArgumentError, TicketflowError, TicketStateError } from './errors/ticketflow-error.js';
export type { TicketflowErrorOptions } from './errors/ticketflow-error.js';

export type { LLM, LLMGenerateOptions, LLMResponse, LLMUsage } from './llm/llm.js';
export { LLM_ERROR_KINDS, LLMError } from './llm/llm-error.js';
export type { LLMErrorKind, LLMErrorOptions } from './llm/llm-error.js';
export type { CircuitBreakerOptions } from './llm/circuit-breaker.js';
export type { LLMRetryPolicy } from './decide/call-provider.js';
export type { ToolRetryDelays } from './execute/run-tool-step.js';

export { MemoryStoreData, MemoryTicketStore } from './store/memory-ticket-store.js';
export type { MemoryTicketStoreOptions } from './store/memory-ticket-store.js';
export { StoreError } from './store/store-error.js';
export type { StoreErrorKind, StoreErrorOptions, StoreErrorOutcome } from './store/store-error.js';
export type { StoredEventRecord, TicketEventRecord } from './store/ticket-event.js';
export type {
  CommitRequest,
  CommitResult,
  EventsQuery,
  ListQuery,
  LoadedTicket,
  PurgeOptions,
  TicketIndex,
  TicketPage,
  TicketStore,
  TicketSummary,
} from './store/ticket-store.js';

/** @deprecated adapter kit: import from `@ticketflow/core/adapter` (kept here for 0.x adapters). */
export { validateCommitRequest, validateEventsQuery, validateTicketId } from './store/validate-store-arguments.js';
/** @deprecated adapter kit: import from `@ticketflow/core/adapter`. */
export { decodeStoredObject, encodeStoredJson } from './store/stored-json.js';
/** @deprecated adapter kit: import from `@ticketflow/core/adapter`. */
export { redactSecrets } from './errors/redact.js';
/** @deprecated adapter kit: import from `@ticketflow/core/adapter`. */
export { sanitizeError } from './errors/sanitize-error.js';
/** @deprecated adapter kit: import from `@ticketflow/core/adapter`. */
export { CallDeadline } from './llm/call-deadline.js';

export * from './privacy/index.js';
