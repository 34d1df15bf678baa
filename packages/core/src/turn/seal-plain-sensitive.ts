import type { TicketDoc } from '../model/ticket.js';
import type { Runtime } from '../runtime/runtime.js';
import { maskJson, maskText, sensitiveValuesOf } from '../policy/sensitive-values.js';

/**
 * A ticket as the agent must treat it when a slot it holds in clear is declared
 * `sensitive: true` now (an app that adopts the option on tickets written before, or a
 * document of an older engine): the value is sealed and masked like any sensitive value (P1),
 * and the transcript and the recorded results of recent messages are masked with it — so views show the mask and the
 * next commit stores only the ciphertext. Nothing is written here; without a key (no
 * sensitive slot) the ticket is returned as it is.
 */
export function withPlainSensitiveSealed(runtime: Pick<Runtime, 'privacy' | 'registry'>, ticket: TicketDoc): TicketDoc {
  const { privacy } = runtime;
  if (!privacy) return ticket;
  let slots: TicketDoc['slots'] | null = null;
  for (const [name, slot] of Object.entries(ticket.slots)) {
    if (slot.sealed !== undefined || runtime.registry.slots.get(name)?.sensitive !== true) continue;
    const { mask, sealed } = privacy.seal(ticket.id, name, slot.value);
    slots ??= { ...ticket.slots };
    slots[name] = { ...slot, value: mask, sealed };
  }
  if (!slots) return ticket;
  const sealedTicket = { ...ticket, slots };
  const secrets = sensitiveValuesOf(sealedTicket, privacy);
  const transcript = ticket.transcript.map((entry) => {
    const text = maskText(entry.text, secrets);
    return text === entry.text ? entry : { ...entry, text };
  });
  // The recorded results of recent messages (T7) hold the decisions' entities and the replies.
  const processed = ticket.processed.map((entry) => ({
    ...entry,
    reply: maskText(entry.reply, secrets),
    decision: entry.decision && { ...entry.decision, entities: maskJson(entry.decision.entities, secrets) as Record<string, unknown> },
  }));
  return { ...sealedTicket, transcript, processed };
}
