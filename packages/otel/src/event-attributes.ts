import type { Attributes } from '@opentelemetry/api';

/** The attribute names of the core's event marks that have a conventional name. */
const KNOWN: Readonly<Record<string, string>> = {
  workflow: 'gen_ai.workflow.name',
  provider: 'gen_ai.provider.name',
  version: 'ticketflow.ticket.version',
  turn: 'ticketflow.turn',
};

/**
 * The attributes of one of the core's marks (`conflict`, `recovery`, `approval`, …) as span
 * event attributes: `workflow` → `gen_ai.workflow.name`, `version` → `ticketflow.ticket.version`,
 * any other key `k` of mark `name` → `ticketflow.{name}.{k}` (e.g. `ticketflow.conflict.attempt`).
 */
export function eventAttributes(name: string, attributes: Readonly<Record<string, string | number | boolean>>): Attributes {
  const result: Attributes = {};
  if (typeof attributes !== 'object' || attributes === null) return result;
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    result[KNOWN[key] ?? `ticketflow.${name}.${key}`] = value;
  }
  return result;
}
