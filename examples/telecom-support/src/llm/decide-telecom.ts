import { extractLatestMessage, readPromptContext } from '@ticketflow/core';
import { decideByRules, type MockDecision } from '@ticketflow/llm-mock';
import { canonicalDestination } from '../domain/destinations.js';
import { canonicalRegion } from '../domain/regions.js';
import { isProcedureSlot, readProcedureAnswer } from './procedure-answers.js';
import { TELECOM_EXTRACTORS } from './telecom-extractors.js';
import { TELECOM_RULES } from './telecom-rules.js';

const UNCLEAR: MockDecision = { intent: null, confidence: 0.2, entities: {} };

/** Short answers to the pending question, which only make sense in context. */
const contextualAnswers: Record<string, (message: string) => unknown> = {
  amount: (message) => {
    const match = /^\s*(?:€\s*)?(\d{1,6}(?:[.,]\d{1,2})?)\s*(?:€|eur|euros?)?\s*[.!]?\s*$/i.exec(message);
    return match ? Number(match[1]!.replace(',', '.')) : undefined;
  },
  account_type: (message) =>
    /\b(business|company|corporate)\b/i.test(message) ? 'business' : /\b(personal|private|home)\b/i.test(message) ? 'personal' : undefined,
  service_type: (message) =>
    /\b(mobile|phone|cell)\b/i.test(message)
      ? 'mobile'
      : /\b(dsl|copper|telephone line)\b/i.test(message)
        ? 'dsl'
        : /\bfib/i.test(message)
          ? 'fiber'
          : undefined,
  device_type: (message) =>
    /\b(iphone|apple|ios)\b/i.test(message)
      ? 'ios'
      : /\b(android|samsung|galaxy|pixel)\b/i.test(message)
        ? 'android'
        : /\b(other|neither|nokia)\b/i.test(message)
          ? 'other'
          : undefined,
  region: (message) => shortPlaceName(message, canonicalRegion),
  destination: (message) => shortPlaceName(message, canonicalDestination),
};

/** "Potsdam", "in Potsdam", "I'm in Potsdam." → "Potsdam" (one to three words of letters). */
function shortPlaceName(message: string, canonical: (text: string) => string): string | undefined {
  const match = /^\s*(?:(?:i'?m|i am|we'?re|we are)\s+)?(?:(?:in|to|at|near)\s+)?([\p{L}][\p{L}' -]{1,40}?)\s*[.!]?\s*$/iu.exec(message);
  if (!match) return undefined;
  const words = match[1]!.trim().split(/\s+/);
  return words.length <= 3 ? canonical(words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join(' ')) : undefined;
}

/** The slot a suspended procedure waits for, when the prompt names one (it comes first). */
function awaitedAnswer(prompt: string): string | null {
  return /^- awaited answer: ([A-Za-z0-9_.-]+)/m.exec(prompt)?.[1] ?? null;
}

/**
 * The offline LLM's decision for a prompt: keyword rules and extractors on the latest
 * message, plus what a model would read from the rest of the prompt: a short answer fills
 * the pending slot (a troubleshooting question's answer, read by {@link readProcedureAnswer},
 * and nothing else), and "try again" restates the ticket's intent.
 */
export function decideTelecom(prompt: string): MockDecision {
  const message = extractLatestMessage(prompt) ?? prompt;
  const context = readPromptContext(prompt);
  const pending = awaitedAnswer(prompt) ?? context.pendingSlot;
  if (pending && isProcedureSlot(pending)) {
    // An answer to a troubleshooting question ("my status bar shows No Signal") is not a new
    // problem: only the asked slot is read, so the words in it never switch the intent.
    const answer = readProcedureAnswer(pending, message);
    if (answer !== undefined) return { intent: null, confidence: 0.2, entities: { [pending]: answer } };
  }
  const decision = decideByRules(message, TELECOM_RULES, TELECOM_EXTRACTORS, UNCLEAR);
  const entities = { ...(decision.entities ?? {}) };
  if (pending && !(pending in entities)) {
    const answer = contextualAnswers[pending]?.(message);
    if (answer !== undefined) entities[pending] = answer;
  }
  if (context.intent && decision.intent === null && /\b(?:try (?:it |that )?again|retry|one more time|do it again)\b/i.test(message)) {
    return { intent: context.intent, confidence: 0.9, entities };
  }
  return { intent: decision.intent, confidence: decision.confidence, entities };
}
