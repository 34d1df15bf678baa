import type { LedgerCall, LedgerEffect } from '../ledger/ledger-records.js';
import type { LoggedExecution, SequenceFindings } from './check-sequence.js';
import type { Violation } from './history.js';
import { parseIdempotencyKey } from './idempotency-key.js';
import type { LifeEnds } from './life-ends.js';

/** Result of {@link checkEffects}. */
export interface EffectFindings {
  violations: Violation[];
  uncompensated: number;
  /** Distinct keys that ran, were journaled or took effect more than once. */
  keysTwice: number;
  /** Effects of lives that ended (their journal went with them). */
  erasedLifeEffects: number;
}

/** What {@link checkEffects} reads. */
export interface EffectInput {
  effects: readonly LedgerEffect[];
  calls: readonly LedgerCall[];
  sequences: ReadonlyMap<string, SequenceFindings>;
  compensable: ReadonlySet<string>;
  lives: LifeEnds;
  /** Each stored ticket's current life (the first 8 characters of its incarnation, as in its keys). */
  currentLives?: ReadonlyMap<string, string>;
}

/**
 * Rules `effects-accounted` and `keys-once`, over the backend's ledger and the tickets' logs.
 *
 * `effects-accounted`: every effect's key was journaled (`step.started`) before it took
 * effect. A live effect belongs to an execution that completed (and was not superseded,
 * E2a), that is parked (an approval, the customer's answer, E6), or a procedure abandoned
 * with `onAbandon: 'keep'`; or its tool cannot be undone and the log says so
 * (`step.not_compensable`). An undone effect belongs to an execution that did not complete
 * (or was superseded), was not kept, and the log records its compensation. Effects of a life
 * that ended (an erasure, a store restart that lost the data) are counted, not checked: their
 * journal is gone with them.
 *
 * `keys-once`: no key is journaled as started twice, took effect twice, was run by two worker
 * instances, or — a key of an erased life — was journaled again by a later life of the same
 * ticket id (the backend then replays the old effect, or refuses the call, instead of acting).
 */
export function checkEffects(input: EffectInput): EffectFindings {
  const findings: EffectFindings = { violations: [], uncompensated: 0, keysTwice: 0, erasedLifeEffects: 0 };
  const twiceKeys = new Set<string>();
  const unaccounted = (ticketId: string, detail: string, key: string) => {
    findings.uncompensated += 1;
    findings.violations.push({ rule: 'effects-accounted', ticketId, detail, unit: key });
  };
  const twice = (ticketId: string, key: string, detail: string) => {
    twiceKeys.add(key);
    findings.violations.push({ rule: 'keys-once', ticketId, detail, unit: key });
  };

  for (const effect of input.effects) {
    const ticketId = parseIdempotencyKey(effect.key)?.ticketId ?? '?';
    const log = input.sequences.get(ticketId);
    const execution = log?.executionOfKey.get(effect.key);
    const name = `${effect.operation} ${effect.key}`;
    const appliedAt = Date.parse(effect.at);
    if (effect.applications > 1) twice(ticketId, effect.key, `${name} took effect ${effect.applications} times`);
    if (execution && input.lives.surelyErased(ticketId, appliedAt)) {
      twice(
        ticketId,
        effect.key,
        `${name} took effect in an erased life (${effect.at}) and the current life journaled the same key again: the backend replayed or refused it instead of acting (keys must differ between lives of a ticket id)`,
      );
      continue;
    }
    if (!log || !execution) {
      if (input.lives.mayBeErased(ticketId, appliedAt) || ofEndedLife(effect.key, log, input.lives.of(ticketId).length > 0, input.currentLives?.get(ticketId)))
        findings.erasedLifeEffects += 1;
      else unaccounted(ticketId, `${name} took effect without a journaled step (no step.started in the ticket's log)`, effect.key);
      continue;
    }
    const problem = effect.undoneAt === undefined ? liveProblem(effect, execution, log, input.compensable) : undoneProblem(effect, execution, log);
    if (problem) unaccounted(ticketId, `${name} ${problem}`, effect.key);
  }

  for (const [ticketId, log] of input.sequences) {
    for (const [key, count] of log.startedCount) if (count > 1) twice(ticketId, key, `key ${key} was journaled as started ${count} times`);
  }
  const runners = new Map<string, Set<string>>();
  for (const call of input.calls) {
    if (call.kind !== 'run') continue;
    const workers = runners.get(call.key) ?? new Set<string>();
    workers.add(call.worker);
    runners.set(call.key, workers);
  }
  for (const [key, workers] of runners) {
    if (workers.size > 1)
      twice(parseIdempotencyKey(key)?.ticketId ?? '?', key, `key ${key} was run by ${workers.size} worker instances (${[...workers].join(', ')})`);
  }
  findings.keysTwice = twiceKeys.size;
  return findings;
}

/** Why a live effect is not accounted for, or null when it is. */
function liveProblem(effect: LedgerEffect, execution: LoggedExecution, log: SequenceFindings, compensable: ReadonlySet<string>): string | null {
  if (execution.end === 'completed' && !execution.superseded) return null;
  if (execution.end === 'open' && execution.state !== 'running') return null;
  if (execution.abandoned === 'keep') return null;
  if (!compensable.has(effect.operation)) {
    return log.notCompensableKeys.has(effect.key)
      ? null
      : `of a ${describe(execution)} execution cannot be undone, and the log does not record it as not compensable`;
  }
  return `is still in effect, but its execution (turn ${execution.turn}) is ${describe(execution)}`;
}

/** Why an undone effect should not have been undone (or not silently), or null. */
function undoneProblem(effect: LedgerEffect, execution: LoggedExecution, log: SequenceFindings): string | null {
  if (execution.end === 'completed' && !execution.superseded) return `was undone although its execution (turn ${execution.turn}) completed`;
  if (execution.abandoned === 'keep' && !execution.superseded)
    return `was undone although its procedure (turn ${execution.turn}) was abandoned with onAbandon 'keep' and never superseded`;
  if (!log.compensatedKeys.has(effect.key)) return `was undone (by ${effect.undoneBy ?? '?'}) but the log records no step.compensated`;
  return null;
}

function describe(execution: LoggedExecution): string {
  if (execution.superseded) return 'superseded';
  if (execution.abandoned) return `abandoned (${execution.abandoned})`;
  return execution.end === 'open' ? `open (${execution.state})` : execution.end;
}

/**
 * Whether an effect surely belongs to a life of its ticket that ended: the ticket lost a life
 * during the run, and the key's life (the incarnation part the engine puts in every key) is
 * not the current one — the stored document's, or else that of the keys journaled in the
 * current log — an erased life's call in flight that took effect after the erasure, whatever
 * the clocks say.
 */
function ofEndedLife(key: string, log: SequenceFindings | undefined, lostALife: boolean, currentLife: string | undefined): boolean {
  const life = parseIdempotencyKey(key)?.life ?? '';
  if (!lostALife || life === '') return false;
  if (currentLife !== undefined) return life !== currentLife;
  const lives = new Set([...(log?.executionOfKey.keys() ?? [])].map((journaled) => parseIdempotencyKey(journaled)?.life));
  // No document and no key journaled in this life: the key cannot be told apart; the clocks decide (mayBeErased).
  return lives.size > 0 && !lives.has(life);
}
