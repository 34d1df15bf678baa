/** The parts of an idempotency key `<ticketId>:<life>:<turn>:<step>` (the ticket id may contain `:`). */
export interface ParsedKey {
  ticketId: string;
  /** The first 8 characters of the ticket's incarnation (one life of the id). */
  life: string;
  turn: number;
  step: number;
}

/** Parses a key (the life is optional: `''` in hand-written histories), or returns null when it does not have that shape. */
export function parseIdempotencyKey(key: string): ParsedKey | null {
  const match = /^(.+?)(?::([^:]{8}))?:(\d+):(\d+)$/s.exec(key);
  if (!match) return null;
  return { ticketId: match[1]!, life: match[2] ?? '', turn: Number(match[3]), step: Number(match[4]) };
}
