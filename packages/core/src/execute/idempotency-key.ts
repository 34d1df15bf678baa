/**
 * The idempotency key of a tool call (E5): `<ticketId>:<life>:<turn>:<step>`, where `life` is
 * the first 8 characters of the ticket's incarnation. The same across retries, resumes and
 * recoveries of one step; new in every turn and step — and in every life of a ticket id, so a
 * ticket erased (or lost by its store) and started again under the same id never presents a
 * backend the keys of the erased life's calls (which a deduplicating backend would answer
 * with the old effect, or refuse as compensated).
 */
export function idempotencyKeyOf(ticket: { id: string; incarnation: string }, turn: number, step: number): string {
  return `${ticket.id}:${ticket.incarnation.slice(0, 8)}:${turn}:${step}`;
}

/** The `<turn>:<step>` a key names (its last two parts): the call's place within its ticket's life. */
export function callPlaceOfKey(key: string): string {
  const parts = key.split(':');
  return parts.slice(-2).join(':');
}
