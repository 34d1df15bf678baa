import { buildDecisionPrompt } from '../decide/build-prompt.js';
import { type DecideOutcome, decide } from '../decide/decide.js';
import { type Draft, record } from '../events/draft.js';
import type { OperationObserver } from '../events/instrumentation.js';
import { type ShowError, ticketErrorShower } from '../execute/shown-error.js';
import type { TicketDoc, TicketUsage } from '../model/ticket.js';
import type { Runtime } from '../runtime/runtime.js';
import { isoTime } from '../util/iso-time.js';
import { shownLLMContent } from './shown-llm-content.js';

/**
 * Asks the LLM chain for the turn's decision (L2, L3) with a bounded prompt built from the
 * ticket as it was before this message and the message verbatim (the LLM sees the raw text
 * of the current message only, P2), and records on the draft what happened: every attempt,
 * providers skipped by an open circuit, circuits opened or closed, and the usage and cost.
 */
export async function decideTurn(
  runtime: Runtime,
  draft: Draft,
  before: TicketDoc,
  message: string,
  observer: OperationObserver | undefined,
): Promise<DecideOutcome> {
  const { settings } = runtime;
  const prompt = buildDecisionPrompt({
    message,
    ticket: before,
    registry: runtime.registry,
    bounds: { historyEntries: settings.promptHistory, entryChars: 300 },
  });
  const decided = await decide({
    chain: runtime.chain,
    prompt,
    jsonSchema: runtime.jsonSchema,
    timeoutMs: settings.llmTimeoutMs,
    budgetMs: settings.llmBudgetMs,
    policy: settings.llmRetry,
    maxOutputTokens: settings.llmMaxOutputTokens,
    observer,
    showContent: shownLLMContent(runtime),
  });
  // A provider's (or an app LLM's) error may quote the request — the prompt holds the customer's raw
  // message (P2) — or its credentials (O4): shown like a tool's error, masked with the ticket's
  // sensitive values (P1), scrubbed of keys and tokens, then redacted.
  let showError: ShowError | undefined;
  const shown = (text: string) => (showError ??= ticketErrorShower(runtime, before))(text);
  for (const attempt of decided.attempts) {
    const { message: text, ...data } = attempt;
    record(draft, attempt.kind === undefined ? 'llm.called' : 'llm.failed', text === undefined ? data : { ...data, message: shown(text) });
  }
  for (const provider of decided.skipped) record(draft, 'llm.skipped', { provider, reason: 'circuit_open' });
  for (const transition of decided.transitions) {
    if (transition.type === 'opened')
      record(draft, 'llm.circuit_opened', {
        provider: transition.provider,
        cause: shown(transition.cause),
        failures: transition.failures,
        reopenAt: isoTime(transition.reopenAt),
      });
    else record(draft, 'llm.circuit_closed', { provider: transition.provider, cause: transition.cause });
    observer?.event?.(transition.type === 'opened' ? 'circuit_opened' : 'circuit_closed', { provider: transition.provider });
  }
  draft.ticket.usage = addUsage(runtime, draft.ticket.usage, decided);
  if (!decided.ok) {
    const { error } = decided;
    record(draft, 'turn.degraded', { reason: error.kind, provider: error.provider, message: shown(error.message), attempts: decided.attempts.length });
  }
  return decided;
}

function addUsage(runtime: Runtime, usage: TicketUsage, decided: DecideOutcome): TicketUsage {
  let cost = 0;
  let calls = 0;
  for (const attempt of decided.attempts) {
    if (attempt.latencyMs > 0 || attempt.kind === undefined) calls += 1;
    if (!attempt.usage) continue;
    const price = runtime.settings.llmPrices[attempt.model ?? ''] ?? runtime.settings.llmPrices[attempt.provider];
    if (price) cost += (attempt.usage.inputTokens * price.inputPerMillionTokens + attempt.usage.outputTokens * price.outputPerMillionTokens) / 1_000_000;
  }
  return {
    llmCalls: usage.llmCalls + calls,
    inputTokens: usage.inputTokens + decided.usage.inputTokens,
    outputTokens: usage.outputTokens + decided.usage.outputTokens,
    estimatedCost: Math.round((usage.estimatedCost + cost) * 1e8) / 1e8,
  };
}
