export { MockLLM } from './mock-llm.js';
export { DEFAULT_MAX_RECORDED_CALLS } from './check-mock-options.js';
export type { MockLLMOptions } from './mock-llm.js';
export type { MockAnswer, MockCall, MockDecision, MockResponder } from './mock-answer.js';
export { decideByRules } from './mock-rules.js';
export type { MockExtractor, MockRule } from './mock-rules.js';
