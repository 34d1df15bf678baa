import type { LedgerCall, LedgerEffect } from '../ledger/ledger-records.js';
import type { SequenceFindings } from './check-sequence.js';
import type { Violation } from './history.js';
import { parseIdempotencyKey } from './idempotency-key.js';

/** Result of {@link checkEffects}. */
export interface EffectFindings {
  violations: Violation[];
  uncompensated: number;
  keysTwice: number;
}

/**
 * Rules `effects-accounted` and `keys-once`, over the backend's ledger and the tickets'
 * logs (`sequence`: the walk of each ticket's log, by ticket id).
 *
 * `effects-accounted`: every effect's key was journaled (`step.started`) before it took
 * effect; a live effect belongs to an execution that completed (or waits for an
 * approval), or its tool cannot be undone and the log says so (`step.not_compensable`);
 * an undone effect belongs to an execution that did not complete, and the log records
 * its compensation (`step.compensated`).
 *
 * `keys-once`: no key is journaled as started twice (two executions), took effect twice
 * (applied again after an undo), or was run by two worker instances (the retries of one
 * step re-use the key by design, in one process, and the backend replays them).
 */
export function checkEffects(effects: readonly LedgerEffect[], calls: readonly LedgerCall[], sequence: ReadonlyMap<string, SequenceFindings>, compensable: ReadonlySet<string>): EffectFindings {
  const findings: EffectFindings = { violations: [], uncompensated: 0, keysTwice: 0 };
  const unaccounted = (ticketId: string, detail: string) => {
    findings.uncompensated += 1;
    findings.violations.push({ rule: 'effects-accounted', ticketId, detail });
  };
  const twice = (ticketId: string, detail: string) => {
    findings.keysTwice += 1;
    findings.violations.push({ rule: 'keys-once', ticketId, detail });
  };

  for (const effect of effects) {
    const parsed = parseIdempotencyKey(effect.key);
    const ticketId = parsed?.ticketId ?? '?';
    const log = sequence.get(ticketId);
    const execution = log?.executionOfKey.get(effect.key);
    const name = `${effect.operation} ${effect.key}`;
    if (effect.applications > 1) twice(ticketId, `${name} took effect ${effect.applications} times`);
    if (!log || !execution) {
      unaccounted(ticketId, `${name} took effect without a journaled step (no step.started in the ticket's log)`);
      continue;
    }
    if (effect.undoneAt === undefined) {
      if (execution.end === 'completed' || (execution.end === 'open' && execution.parked)) continue;
      if (!compensable.has(effect.operation)) {
        if (!log.notCompensableKeys.has(effect.key)) unaccounted(ticketId, `${name} of a ${execution.end} execution cannot be undone, and the log does not record it as not compensable`);
        continue;
      }
      unaccounted(ticketId, `${name} is still in effect, but its execution (turn ${execution.turn}) is ${execution.end}`);
    } else {
      if (execution.end === 'completed') unaccounted(ticketId, `${name} was undone although its execution (turn ${execution.turn}) completed`);
      else if (!log.compensatedKeys.has(effect.key)) unaccounted(ticketId, `${name} was undone (by ${effect.undoneBy ?? '?'}) but the log records no step.compensated`);
    }
  }

  for (const [ticketId, log] of sequence) {
    for (const [key, count] of log.startedCount) if (count > 1) twice(ticketId, `key ${key} was journaled as started ${count} times`);
  }
  const runners = new Map<string, Set<string>>();
  for (const call of calls) {
    if (call.kind !== 'run') continue;
    const workers = runners.get(call.key) ?? new Set<string>();
    workers.add(call.worker);
    runners.set(call.key, workers);
  }
  for (const [key, workers] of runners) {
    if (workers.size > 1) twice(parseIdempotencyKey(key)?.ticketId ?? '?', `key ${key} was run by ${workers.size} worker instances (${[...workers].join(', ')})`);
  }
  return findings;
}
