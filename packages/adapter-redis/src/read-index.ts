import { compareTicketOrder } from '@ticketflow/core/adapter';
import type { TicketSummary } from '@ticketflow/core/adapter';
import { decodeListReply } from './redis-replies.js';
import { LIST_SCRIPT_BUDGET } from './redis-scripts.js';

/** Calls the list script with these arguments (after the document key prefix). */
export type ReadIndex = (argumentsOf: string[]) => Promise<unknown>;

/** One lexicographic range of `ix:updated` or `ix:status`, as far as it was read. */
export interface IndexRange {
  /** Where to go on from (`-`, `[…` or `(<last member read>`). */
  min: string;
  readonly max: string;
  /** How many more live tickets the range should yield. */
  wanted: number;
  /** Whether the range has no member left. */
  ended: boolean;
}

/**
 * Reads each range until it yielded `wanted` live tickets or ended, in as many calls of the
 * list script as its budget needs (one when the index holds no stale entries). Returns the
 * tickets in list order, each once, and leaves each range where it stopped.
 */
export async function readIndexRanges(read: ReadIndex, mode: 'updated' | 'status', ranges: readonly IndexRange[]): Promise<TicketSummary[]> {
  const found = new Map<string, { ticket: TicketSummary; range: IndexRange }>();
  for (;;) {
    const open = ranges.filter((range) => range.wanted > 0 && !range.ended);
    if (open.length === 0) return [...found.values()].map((entry) => entry.ticket).sort(compareTicketOrder);
    const reads = decodeListReply(
      await read([mode, String(LIST_SCRIPT_BUDGET), ...open.flatMap((range) => [range.min, range.max, String(range.wanted)])]),
      mode,
      open.length,
    );
    open.forEach((range, index) => {
      const { tickets, unsummarised, resume, ended } = reads[index]!;
      range.min = resume[0];
      range.wanted = Number(resume[1]) + unsummarised;
      range.ended = ended;
      for (const ticket of tickets) {
        // Read again after it moved (committed between two calls): the later copy is current,
        // and the range of the earlier one owes a ticket.
        const earlier = found.get(ticket.ticketId);
        if (earlier !== undefined) earlier.range.wanted += 1;
        found.set(ticket.ticketId, { ticket, range });
      }
    });
  }
}

/** Reads every claim that expires before `beforeMs`, each once, in as many calls of the list script as its budget needs. */
export async function readExpiredClaims(read: ReadIndex, beforeMs: number): Promise<TicketSummary[]> {
  const found = new Map<string, TicketSummary>();
  let resume: [string, string] = ['', ''];
  for (;;) {
    const [claims] = decodeListReply(await read(['claims', String(LIST_SCRIPT_BUDGET), String(beforeMs), ...resume]), 'claims', 1);
    for (const ticket of claims!.tickets) found.set(ticket.ticketId, ticket);
    if (claims!.ended) return [...found.values()];
    resume = claims!.resume;
  }
}
