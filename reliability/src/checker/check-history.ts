import { checkClaims } from './check-claims.js';
import { checkDocument } from './check-document.js';
import { checkEffects } from './check-effects.js';
import { checkJournal } from './check-journal.js';
import { checkMessages } from './check-messages.js';
import { checkSequence, type SequenceFindings } from './check-sequence.js';
import { type CheckReport, countOf, type History, type HistoryCounts, type HistoryStats, type Violation } from './history.js';
import { LifeEnds } from './life-ends.js';

/**
 * The history checker: reads what a run left behind — every ticket's document and event
 * log, the driver's record of acknowledged messages, erasures and restarts, and the shared
 * backend's ledger — and checks the rules (`Rule` in `history.ts`) after the fact,
 * Jepsen-style. Pure: no I/O.
 */
export function checkHistory(history: History): CheckReport {
  const all: Violation[] = [];
  const sequences = new Map<string, SequenceFindings>();
  const lives = new LifeEnds(history.lifeEnds);
  const expectedTickets = new Set(history.acknowledged.filter((message) => lives.lifeOf(message) === 'current').map((message) => message.ticketId));
  for (const ticket of history.tickets) {
    const documentFindings = checkDocument(ticket, expectedTickets.has(ticket.ticketId));
    const sequence = checkSequence(ticket, documentFindings.document);
    sequences.set(ticket.ticketId, sequence);
    all.push(
      ...documentFindings.violations,
      ...sequence.violations,
      ...checkJournal(ticket.ticketId, documentFindings.document, sequence),
      ...checkPolicies(ticket.ticketId, sequence, history),
    );
    if (history.stops) all.push(...checkClaims(ticket, sequence, history.calls, history.stops));
  }
  const messages = checkMessages({
    tickets: history.tickets,
    acknowledged: history.acknowledged,
    lives,
    erasedAnswers: history.erasedAnswers ?? [],
    refusedTexts: history.refusedTexts ?? [],
  });
  const currentLives = new Map<string, string>();
  for (const ticket of history.tickets) {
    const incarnation = (ticket.document as { incarnation?: unknown } | null | undefined)?.incarnation;
    if (typeof incarnation === 'string') currentLives.set(ticket.ticketId, incarnation.slice(0, 8));
  }
  const effects = checkEffects({ effects: history.effects, calls: history.calls, sequences, compensable: history.compensableOperations, lives, currentLives });
  all.push(...messages.violations, ...effects.violations);

  const violations: Violation[] = [];
  const knownViolations: CheckReport['knownViolations'] = [];
  for (const violation of all) {
    const bug = history.knownBug?.(violation) ?? null;
    if (bug) knownViolations.push({ ...violation, bug });
    else violations.push(violation);
  }
  return {
    ok: violations.length === 0,
    violations,
    counts: countViolations(violations),
    knownBugs: countKnown(knownViolations),
    knownViolations,
    stats: collectStats(history, sequences, { retriedMessages: messages.retried, erasable: messages.erasable, erasedLifeEffects: effects.erasedLifeEffects }),
  };
}

/** Per known bug, the distinct units its violations count (a key, a message, a ticket…). */
function countKnown(violations: readonly (Violation & { bug: string })[]): Record<string, number> {
  const units = new Map<string, Set<string>>();
  for (const violation of violations) units.set(violation.bug, (units.get(violation.bug) ?? new Set()).add(countOf(violation).unit));
  return Object.fromEntries([...units].map(([bug, set]) => [bug, set.size]));
}

/** Every figure: distinct units of the violations counted towards it. */
function countViolations(violations: readonly Violation[]): HistoryCounts {
  const units: Record<keyof HistoryCounts, Set<string>> = {
    lost: new Set(),
    duplicated: new Set(),
    corrupted: new Set(),
    uncompensated: new Set(),
    unsettled: new Set(),
    takenOver: new Set(),
  };
  for (const violation of violations) {
    const { count, unit } = countOf(violation);
    units[count].add(unit);
  }
  return {
    lost: units.lost.size,
    duplicated: units.duplicated.size,
    corrupted: units.corrupted.size,
    uncompensated: units.uncompensated.size,
    unsettled: units.unsettled.size,
    takenOver: units.takenOver.size,
  };
}

/** `execution.abandoned` must name the policy its workflow declares (E6). */
function checkPolicies(ticketId: string, sequence: SequenceFindings, history: History): Violation[] {
  const declared = history.abandonPolicies;
  if (!declared) return [];
  return sequence.executions
    .filter((execution) => execution.abandoned !== null && declared[execution.workflow] !== undefined && declared[execution.workflow] !== execution.abandoned)
    .map((execution) => ({
      rule: 'effects-accounted' as const,
      ticketId,
      count: 'corrupted' as const,
      detail: `the procedure of turn ${execution.turn} (${execution.workflow}) was abandoned with '${execution.abandoned}', its workflow declares '${declared[execution.workflow]}'`,
    }));
}

function collectStats(
  history: History,
  sequences: ReadonlyMap<string, SequenceFindings>,
  extra: { retriedMessages: number; erasable: number; erasedLifeEffects: number },
): HistoryStats {
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
    retriedMessages: extra.retriedMessages,
    suspended: 0,
    resumed: 0,
    abandonedKeep: 0,
    abandonedCompensate: 0,
    inputsExpired: 0,
    approvalsExpired: 0,
    superseded: 0,
    waitingProcedures: 0,
    caughtFailures: 0,
    erasedLifeEffects: extra.erasedLifeEffects,
    erasableMessages: extra.erasable,
  };
  const counted: Partial<Record<string, keyof HistoryStats>> = {
    'message.received': 'turns',
    'step.retried': 'retriedSteps',
    'turn.degraded': 'degradedTurns',
    'step.compensated': 'compensatedSteps',
    'execution.suspended': 'suspended',
    'execution.resumed': 'resumed',
    'input.expired': 'inputsExpired',
    'approval.expired': 'approvalsExpired',
    'execution.superseded': 'superseded',
  };
  for (const ticket of history.tickets) {
    stats.events += ticket.events.length;
    for (const event of ticket.events) {
      const field = counted[event.type];
      if (field) stats[field] += 1;
    }
    const sequence = sequences.get(ticket.ticketId);
    if (sequence?.open?.state === 'awaiting_input') stats.waitingProcedures += 1;
    for (const execution of sequence?.executions ?? []) {
      stats.executions += 1;
      if (execution.end === 'completed') stats.completed += 1;
      else if (execution.end === 'failed') stats.failed += 1;
      else if (execution.end === 'recovered') stats.recovered += 1;
      if (execution.abandoned === 'keep') stats.abandonedKeep += 1;
      if (execution.abandoned === 'compensate') stats.abandonedCompensate += 1;
      if (execution.end === 'completed') stats.caughtFailures += execution.failedSteps;
    }
  }
  return stats;
}
