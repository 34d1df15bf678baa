import type { LedgerCall, LedgerEffect } from '../ledger/ledger-records.js';
import type { InstanceStop, TicketHistory, Violation } from '../checker/history.js';

/** At most this many violating tickets keep their evidence in a report. */
const TICKETS_KEPT = 3;
/** An event's data is cut to this many characters of JSON (the log stays readable). */
const DATA_CHARS = 240;

/**
 * What a violating ticket went through, kept in the run's report so that a violation seen
 * once (under CI load, say) can be read afterwards: the counts alone do not say why.
 */
export interface TicketEvidence {
  ticketId: string;
  violations: { rule: string; detail: string }[];
  /** The ticket's whole event log, one line per event: `seq at type data`. */
  events: string[];
  /** The backend's effects and calls under this ticket's idempotency keys. */
  effects: Pick<LedgerEffect, 'operation' | 'key' | 'at' | 'undoneAt' | 'appliedBy' | 'undoneBy' | 'applications'>[];
  calls: string[];
  /** When worker instances stopped renewing claims (every stop of the run: any may matter). */
  stops: InstanceStop[];
}

/** What {@link collectEvidence} reads. */
export interface EvidenceSources {
  violations: readonly Violation[];
  tickets: readonly TicketHistory[];
  effects: readonly LedgerEffect[];
  calls: readonly LedgerCall[];
  stops: readonly InstanceStop[];
}

/** The evidence of the first violating tickets (none when nothing was violated). */
export function collectEvidence(sources: EvidenceSources): TicketEvidence[] {
  const ticketIds = [...new Set(sources.violations.map((violation) => violation.ticketId))].slice(0, TICKETS_KEPT);
  return ticketIds.map((ticketId) => {
    const ownKey = (key: string) => key.startsWith(`${ticketId}:`);
    const history = sources.tickets.find((ticket) => ticket.ticketId === ticketId);
    return {
      ticketId,
      violations: sources.violations.filter((violation) => violation.ticketId === ticketId).map(({ rule, detail }) => ({ rule, detail })),
      events: (history?.events ?? []).map((event) => `${event.seq} ${event.at} ${event.type} ${cut(JSON.stringify(event.data ?? {}))}`),
      effects: sources.effects
        .filter((effect) => ownKey(effect.key))
        .map(({ operation, key, at, undoneAt, appliedBy, undoneBy, applications }) => ({ operation, key, at, undoneAt, appliedBy, undoneBy, applications })),
      calls: sources.calls
        .filter((call) => ownKey(call.key))
        .map((call) => `${call.seq} ${call.at} ${call.worker} ${call.kind} ${call.operation} ${call.key} ${call.result}`),
      stops: [...sources.stops],
    };
  });
}

/** The evidence as text for a test's output. */
export function formatEvidence(evidence: readonly TicketEvidence[]): string {
  return evidence
    .map((ticket) =>
      [
        `── ${ticket.ticketId}`,
        ...ticket.violations.map((violation) => `violated ${violation.rule}: ${violation.detail}`),
        'events:',
        ...ticket.events.map((line) => `  ${line}`),
        'backend calls:',
        ...ticket.calls.map((line) => `  ${line}`),
        `instance stops: ${JSON.stringify(ticket.stops)}`,
      ].join('\n'),
    )
    .join('\n');
}

function cut(text: string): string {
  return text.length <= DATA_CHARS ? text : `${text.slice(0, DATA_CHARS)}…`;
}
