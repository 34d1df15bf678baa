import { extractLatestMessage, readPromptContext } from '@ticketflow/core';
import { decideByRules, MockLLM, type MockDecision, type MockExtractor, type MockRule } from '@ticketflow/llm-mock';

const RULES: readonly MockRule[] = [
  { match: /\brouter\b.*\b(broken|dead|repair)\b/i, intent: 'repair_router' },
  { match: /\bport my number\b/i, intent: 'port_number' },
  { match: /\bbundle\b/i, intent: 'setup_bundle' },
  { match: /\bleave a note\b/i, intent: 'leave_note' },
  { match: /\b(cancel|stop) (it|the procedure|this)\b/i, entities: { confirm: false } },
];

const EXTRACTORS: readonly MockExtractor[] = [{ slot: 'line', pattern: /\bline (L-\d{4})\b/ }];

/** What the customer's answer to each asked slot looks like in their message. */
const ANSWERS: Readonly<Record<string, (message: string) => unknown>> = {
  light: (message) => /\blight is (green|red|off)\b/i.exec(message)?.[1]?.toLowerCase(),
  rebooted: (message) => (/\brouter came back\b/i.test(message) ? 'yes' : /\bstill (dead|down)\b/i.test(message) ? 'no' : undefined),
  cable: (message) => /\bcable is (ok|loose)\b/i.exec(message)?.[1]?.toLowerCase(),
  visit_day: (message) => /\b(monday|tuesday|wednesday|thursday|friday)\b/i.exec(message)?.[1]?.toLowerCase(),
  donor: (message) => /\bwith (alpha|beta|gamma)\b/i.exec(message)?.[1]?.toLowerCase(),
};

/**
 * The offline LLM of the procedures domain: keyword rules for the intents, the line number,
 * and — when the prompt names the answer a procedure waits for, or the slot just asked — the
 * customer's answer to that one question (E6: the LLM only reads the answer; code decides
 * every step). Deterministic.
 */
export function decideProcedure(prompt: string): MockDecision {
  const message = extractLatestMessage(prompt) ?? prompt;
  const awaited = /^- awaited answer: ([A-Za-z0-9_.-]+)/m.exec(prompt)?.[1] ?? readPromptContext(prompt).pendingSlot;
  const decision = decideByRules(message, RULES, EXTRACTORS, { intent: null, confidence: 0.2, entities: {} });
  const entities = { ...(decision.entities ?? {}) };
  const answer = awaited ? ANSWERS[awaited]?.(message) : undefined;
  if (awaited && answer !== undefined) entities[awaited] = answer;
  return { intent: decision.intent, confidence: decision.confidence, entities };
}

/** A {@link MockLLM} answering with {@link decideProcedure}. */
export function createProcedureLLM(): MockLLM {
  return new MockLLM({ name: 'mock', model: 'procedure-rules-1', respond: (prompt) => decideProcedure(prompt) });
}
