import { withheldMessagePrompt } from '../decide/build-prompt.js';
import type { ShowContent } from '../decide/call-provider.js';
import { parseDecision } from '../decide/parse-decision.js';
import { maskValue } from '../privacy/mask-value.js';
import { maskText, sensitiveValue, type SensitiveValue } from '../policy/sensitive-values.js';
import type { Runtime } from '../runtime/runtime.js';

/** What stands in for the customer's message in a captured prompt no decision could vouch for. */
export const WITHHELD_MESSAGE = '(customer message withheld: no decision named its sensitive values)';

/**
 * P1 for content capture: an LLM attempt's prompt and answer as instrumentation may record
 * them. The answer names this turn's values of sensitive slots — the customer may have typed
 * one in the very message the prompt quotes — so those values are masked in both, as the
 * ticket's events mask them. (Values known from earlier turns are already masked in the prompt.)
 * An attempt without a readable decision (it failed, or answered prose) names nothing: when
 * the agent has sensitive slots, the customer's message is withheld from its prompt and its
 * answer is withheld, since either may hold a value no decision has named yet.
 */
export function shownLLMContent(runtime: Runtime): ShowContent {
  return (prompt, answer) => {
    const secrets = answer === undefined ? undefined : namedSecrets(runtime, answer);
    if (secrets === undefined)
      return hasSensitiveSlots(runtime) ? { prompt: withheldMessagePrompt(prompt, WITHHELD_MESSAGE), text: undefined } : { prompt, text: answer };
    if (secrets.length === 0) return { prompt, text: answer };
    return { prompt: maskText(prompt, secrets), text: maskText(answer!, secrets) };
  };
}

function hasSensitiveSlots(runtime: Runtime): boolean {
  for (const slot of runtime.registry.slots.values()) if (slot.sensitive) return true;
  return false;
}

/** The sensitive values a readable decision names, or undefined for an answer that is not one. */
function namedSecrets(runtime: Runtime, answer: string): SensitiveValue[] | undefined {
  const parsed = parseDecision(answer);
  if (!parsed.ok) return undefined;
  const secrets: SensitiveValue[] = [];
  for (const [name, raw] of Object.entries(parsed.decision.entities)) {
    if (raw === null || raw === undefined || runtime.registry.slots.get(name)?.sensitive !== true) continue;
    const secret = sensitiveValue(raw, maskValue(raw));
    if (secret) secrets.push(secret);
  }
  return secrets.sort((a, b) => b.text.length - a.text.length);
}
