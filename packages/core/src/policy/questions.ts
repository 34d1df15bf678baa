import type { IntentDefinition } from '../model/intent.js';
import type { WorkflowDefinition } from '../model/workflow.js';
import { catchRejection } from '../util/thenable.js';

/**
 * The question of the reserved slot `intent` (D3, D4): it lists the candidate intents by their
 * customer-facing `label`, never by the description written for the LLM.
 */
export function intentQuestion(intents: Iterable<IntentDefinition>): string {
  const labels = [...intents].map((intent) => intent.label.replace(/\.$/, ''));
  const listed = labels.length <= 1 ? labels.join('') : `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
  return `Sorry, I'm not sure what you need. Is it about ${listed}?`;
}

/** The question of the reserved slot `confirm` (E2): it restates the values it will act on. */
export function confirmQuestion(workflow: WorkflowDefinition, values: Record<string, unknown>): string {
  const slots = new Map([...workflow.required, ...workflow.optional].map((slot) => [slot.name, slot]));
  const listed = Object.entries(values)
    .map(([name, value]) => `${name.replaceAll('_', ' ')}: ${formatValue(slots.get(name)?.format, value)}`)
    .join(', ');
  const what = (workflow.description ?? workflow.name.replaceAll('_', ' ')).replace(/\.$/, '');
  return `Please confirm: ${what} with ${listed}. Shall I go ahead? (yes/no)`;
}

function formatValue(format: ((value: never) => string) | undefined, value: unknown): string {
  if (format) {
    try {
      const shown: unknown = format(value as never);
      // A promise (an async format) is no text; its rejection must not go unhandled.
      if (!catchRejection(shown) && (typeof shown === 'string' || typeof shown === 'number')) return String(shown);
    } catch {
      // a broken formatter must not break the question: fall back to the raw value
    }
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
