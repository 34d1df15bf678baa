import { readStored } from '../model/json-value.js';
import type { Registry } from '../model/registry.js';
import type { TicketDoc } from '../model/ticket.js';
import { type SlotPrivacy, slotValues } from './policy-context.js';

/**
 * Known slot values as workflows and `when` see them: each stored (JSON) value read back
 * through its slot's schema (a `z.coerce.date()` slot is a `Date` again), sensitive ones
 * decrypted. `names` limits it to a workflow's declared slots.
 */
export function hydrateSlots(ticket: TicketDoc, registry: Registry, privacy: SlotPrivacy | undefined, names?: readonly string[]): Record<string, unknown> {
  const stored = slotValues(ticket, privacy);
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(stored)) {
    if (names && !names.includes(name)) continue;
    values[name] = readStored(registry.slots.get(name)?.schema, value);
  }
  return values;
}
