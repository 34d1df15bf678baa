import { checkDocument } from './check-document.js';
import { checkEffects } from './check-effects.js';
import { checkMessages } from './check-messages.js';
import { checkSequence, type SequenceFindings } from './check-sequence.js';
import type { CheckReport, History, HistoryStats, Violation } from './history.js';

/**
 * The history checker: reads what a run left behind — every ticket's document and event
 * log, the driver's record of acknowledged messages and the shared backend's ledger — and
 * checks the rules (`Rule` in `history.ts`) after the fact, Jepsen-style. Pure: no I/O.
 */
export function checkHistory(history: History): CheckReport {
  const violations: Violation[] = [];
  const sequences = new Map<string, SequenceFindings>();
  const acknowledgedTickets = new Set(history.acknowledged.map((message) => message.ticketId));
  const corruptedTickets = new Set<string>();
  let unsettled = 0;

  for (const ticket of history.tickets) {
    const documentFindings = checkDocument(ticket, acknowledgedTickets.has(ticket.ticketId));
    const sequence = checkSequence(ticket, documentFindings.document);
    sequences.set(ticket.ticketId, sequence);
    for (const violation of [...documentFindings.violations, ...sequence.violations]) {
      violations.push(violation);
      if (violation.rule === 'settled') unsettled += 1;
      else corruptedTickets.add(ticket.ticketId);
    }
  }
  const messages = checkMessages(history.tickets, history.acknowledged);
  const effects = checkEffects(history.effects, history.calls, sequences, history.compensableOperations);
  violations.push(...messages.violations, ...effects.violations);

  return {
    ok: violations.length === 0,
    violations,
    counts: {
      lost: messages.lost,
      duplicated: messages.duplicated + effects.keysTwice,
      corrupted: corruptedTickets.size,
      uncompensated: effects.uncompensated,
      unsettled,
    },
    stats: collectStats(history, sequences, messages.retried),
  };
}

function collectStats(history: History, sequences: ReadonlyMap<string, SequenceFindings>, retriedMessages: number): HistoryStats {
  const stats: HistoryStats = {
    tickets: history.tickets.length,
    events: 0,
    turns: 0,
    executions: 0,
    completed: 0,
    failed: 0,
    recovered: 0,
    compensatedSteps: 0,
    effects: history.effects.length,
    liveEffects: history.effects.filter((effect) => effect.undoneAt === undefined).length,
    undoneEffects: history.effects.filter((effect) => effect.undoneAt !== undefined).length,
    replayedCalls: history.calls.filter((call) => call.result === 'replayed').length,
    retriedSteps: 0,
    degradedTurns: 0,
    retriedMessages,
  };
  for (const ticket of history.tickets) {
    stats.events += ticket.events.length;
    for (const event of ticket.events) {
      if (event.type === 'message.received') stats.turns += 1;
      else if (event.type === 'step.retried') stats.retriedSteps += 1;
      else if (event.type === 'turn.degraded') stats.degradedTurns += 1;
      else if (event.type === 'step.compensated') stats.compensatedSteps += 1;
    }
    for (const execution of sequences.get(ticket.ticketId)?.executions ?? []) {
      stats.executions += 1;
      if (execution.end === 'completed') stats.completed += 1;
      else if (execution.end === 'failed') stats.failed += 1;
      else if (execution.end === 'recovered') stats.recovered += 1;
    }
  }
  return stats;
}
