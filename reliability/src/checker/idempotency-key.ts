/** The parts of an idempotency key `<ticketId>:<turn>:<step>` (the ticket id may contain `:`). */
export interface ParsedKey {
  ticketId: string;
  turn: number;
  step: number;
}

/** Parses a key from the right, or returns null when it does not have that shape. */
export function parseIdempotencyKey(key: string): ParsedKey | null {
  const match = /^(.+):(\d+):(\d+)$/s.exec(key);
  if (!match) return null;
  return { ticketId: match[1]!, turn: Number(match[2]), step: Number(match[3]) };
}
