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
    const schema = registry.slots.get(name)?.schema;
    const parsed = schema?.safeParse(value);
    values[name] = parsed?.success ? parsed.data : value;
  }
  return values;
}
