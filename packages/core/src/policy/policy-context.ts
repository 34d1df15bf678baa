import type { Registry } from '../model/registry.js';
import type { SlotValue, TicketDoc } from '../model/ticket.js';

export type { Draft } from '../events/draft.js';
export { record } from '../events/draft.js';

/**
 * How the policy keeps `sensitive: true` slots (P1) without doing I/O itself: `seal` turns a
 * value into a mask and a ciphertext (the agent's cipher, or a deterministic fake in tests),
 * `open` reads a stored value back.
 */
export interface SlotPrivacy {
  seal(ticketId: string, slot: string, value: unknown): { mask: string; sealed: string };
  open(ticketId: string, slot: string, stored: SlotValue): unknown;
}

/** Everything the pure policy needs besides the ticket and the decision: no clock, no I/O. */
export interface PolicyContext {
  registry: Registry;
  /** Decisions below it do not establish an intent (D3). */
  confidenceThreshold: number;
  /** Consecutive turns asking one slot before the ticket escalates instead (D5). Default 3. */
  maxClarifications?: number;
  /** The number of the turn being planned. */
  turn: number;
  /** ISO time stamped on events and values. */
  at: string;
  /** The turn's `messageId`, when it has one. */
  messageId?: string | null;
  /** Sealing of sensitive slots; without it a sensitive value is refused (never stored in clear). */
  privacy?: SlotPrivacy;
}

/** Known slot values by name, as stored: sensitive ones opened when `privacy` is given, else their mask. */
export function slotValues(ticket: TicketDoc, privacy?: SlotPrivacy): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, slot] of Object.entries(ticket.slots)) {
    if (slot.sealed !== undefined && privacy) values[name] = privacy.open(ticket.id, name, slot);
    // An object or array value is copied: app code (`derive`, `when`, `ctx.slots` of a slot whose
    // schema passes values through, like `z.any()`) that changes it must not change the ticket.
    else values[name] = typeof slot.value === 'object' && slot.value !== null ? structuredClone(slot.value) : slot.value;
  }
  return values;
}
