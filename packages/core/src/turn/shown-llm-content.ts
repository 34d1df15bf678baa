import type { ShowContent } from '../decide/call-provider.js';
import { parseDecision } from '../decide/parse-decision.js';
import { maskValue } from '../privacy/mask-value.js';
import { maskText, sensitiveValue, type SensitiveValue } from '../policy/sensitive-values.js';
import type { Runtime } from '../runtime/runtime.js';

/**
 * P1 for content capture: an LLM attempt's prompt and answer as instrumentation may record
 * them. The answer names this turn's values of sensitive slots — the customer may have typed
 * one in the very message the prompt quotes — so those values are masked in both, as the
 * ticket's events mask them. (Values known from earlier turns are already masked in the prompt.)
 */
export function shownLLMContent(runtime: Runtime): ShowContent {
  return (prompt, answer) => {
    const secrets = answer === undefined ? [] : namedSecrets(runtime, answer);
    if (secrets.length === 0) return { prompt, text: answer };
    return { prompt: maskText(prompt, secrets), text: maskText(answer!, secrets) };
  };
}

function namedSecrets(runtime: Runtime, answer: string): SensitiveValue[] {
  const parsed = parseDecision(answer);
  if (!parsed.ok) return [];
  const secrets: SensitiveValue[] = [];
  for (const [name, raw] of Object.entries(parsed.decision.entities)) {
    if (raw === null || raw === undefined || runtime.registry.slots.get(name)?.sensitive !== true) continue;
    const secret = sensitiveValue(raw, maskValue(raw));
    if (secret) secrets.push(secret);
  }
  return secrets.sort((a, b) => b.text.length - a.text.length);
}
