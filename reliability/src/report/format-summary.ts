import type { ChaosReport } from '../chaos/run-chaos.js';
import type { StoreKind } from '../stores/store-targets.js';
import { type BadInputCounts, CHAOS_RUNS, type StoreResults } from './run-results.js';

const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);
const figures = (counts: Record<string, number>) =>
  `{${Object.entries(counts)
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([kind, count]) => `${kind}:${count}`)
    .join(',')}}`;
const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)}s`;
const skew = (ms: number) =>
  Math.abs(ms) >= 3_600_000 ? `${ms > 0 ? '+' : '-'}${Math.abs(ms) / 3_600_000}h` : ms === 0 ? '0' : `${ms > 0 ? '+' : '-'}${Math.abs(ms) / 1_000}s`;

/**
 * The summary line of one store, ready to quote: the soak's turns, faults by kind, kills,
 * freezes, clock skews, erasures, T7 probes and what the sweepers did (there is no final
 * message pass); the crash-recovery, procedures and store-restart runs; the bad inputs
 * tried; and the lost / duplicated / corrupted / uncompensated / unsettled / taken-over counts
 * over every run, which must all be 0 — plus the violations of known, reported engine bugs.
 */
export function formatStoreSummary(store: StoreKind, results: StoreResults): string {
  const runs = CHAOS_RUNS.map((name) => results[name]).filter((report): report is ChaosReport => report !== undefined);
  const total = (pick: (report: ChaosReport) => number) => sum(runs.map(pick));
  const parts = [`chaos[${store}] final-message-pass=none`];
  const { soak, crashRecovery, procedures, storeRestart } = results;
  if (soak) parts.push(soakFigures(soak));
  if (crashRecovery) {
    const kills = crashRecovery.midExecutionKills;
    parts.push(`item6={turns:${crashRecovery.turns},kills:${crashRecovery.crashes.length},mid-execution:${kills.total},recovered:${kills.recovered}}`);
  }
  if (procedures) parts.push(procedureFigures(procedures));
  if (storeRestart)
    parts.push(
      `restart={turns:${storeRestart.turns},restarts:${storeRestart.restarts},erasable:${storeRestart.check.stats.erasableMessages},erased-life-effects:${storeRestart.check.stats.erasedLifeEffects},recovered-by-sweeper:${storeRestart.sweeps.recovered}}`,
    );
  parts.push(
    `sweeper={recovered:${total((report) => report.sweeps.recovered)},at-end:${total((report) => report.sweeps.recoveredAtEnd)},inputs-expired:${total((report) => report.sweeps.inputsExpired)},sweeps:${total((report) => report.sweeps.duringRun + report.sweeps.final)}}`,
  );
  parts.push(`bad-inputs=${sum(Object.values(results.badInputs))}`);
  for (const count of ['lost', 'duplicated', 'corrupted', 'uncompensated', 'unsettled', 'takenOver'] as const)
    parts.push(`${count}=${total((report) => report.check.counts[count])}`);
  const known: Record<string, number> = {};
  for (const report of runs) for (const [bug, count] of Object.entries(report.check.knownBugs)) known[bug] = (known[bug] ?? 0) + count;
  parts.push(`known-engine-bugs=${figures(known)}`);
  const gaveUp = total((report) => report.gaveUp.length);
  if (gaveUp > 0) parts.push(`messages-given-up=${gaveUp}`);
  if (runs.length > 0) parts.push(`time=${seconds(total((report) => report.durationMs))}`);
  return parts.join(' ');
}

function soakFigures(soak: ChaosReport): string {
  return [
    `turns=${soak.turns}`,
    `acked=${soak.acknowledged}`,
    `llm-faults=${figures(soak.faults.llm)}`,
    `tool-faults=${figures(soak.faults.tool)}`,
    `crashes=${soak.crashes.length}`,
    `mid-tool=${soak.crashes.filter((crash) => crash.trigger.startsWith('tool:')).length}`,
    `pauses=${soak.pauses.length}`,
    `stalls=${soak.stalls.count}${soak.stalls.count > 0 ? `(longest:${seconds(soak.stalls.longestMs)})` : ''}`,
    `skews=${[...soak.skewsMs.workers, ...soak.skewsMs.sweepers.map((ms) => `s${skew(ms)}`)].map((value) => (typeof value === 'number' ? skew(value) : value)).join('/')}`,
    `erasures=${soak.erasures}`,
    `t7={resent:${soak.resends.resent},duplicate:${soak.resends.answeredDuplicate},reused:${soak.resends.reused},refused:${soak.resends.refused},after-erasure:${soak.resends.reuseAfterLifeEnded}}`,
    `late-calls-refused=${soak.refusedLateCalls}`,
    `recoveries=${soak.check.stats.recovered}`,
    `resent=${soak.resent}`,
    `tool-retries=${soak.check.stats.retriedSteps}`,
    `replayed=${soak.check.stats.replayedCalls}`,
    `approvals=${soak.approvals.approved}/${soak.approvals.rejected}`,
    `degraded=${soak.check.stats.degradedTurns}`,
    `compensated=${soak.check.stats.compensatedSteps}`,
  ].join(' ');
}

function procedureFigures(run: ChaosReport): string {
  const { stats } = run.check;
  const kills = `${run.crashes.length}(suspender:${run.crashes.filter((crash) => crash.kind === 'kill-suspender').length},resuming:${run.crashes.filter((crash) => crash.resuming).length})`;
  return `procedures={turns:${run.turns},suspended:${stats.suspended},resumed:${stats.resumed},resumed-after-kill:${run.resumedAfterKill},abandoned:${stats.abandonedKeep}keep/${stats.abandonedCompensate}compensate,inputs-expired:${stats.inputsExpired},waiting:${stats.waitingProcedures},caught-failures:${stats.caughtFailures},kills:${kills},pauses:${run.pauses.length}}`;
}

/** The line of the store-independent bad inputs. */
export function formatBadInputSummary(counts: BadInputCounts, http5xx: number): string {
  return `bad-input ${Object.entries(counts)
    .map(([suite, count]) => `${suite}=${count}`)
    .join(' ')} http-5xx=${http5xx}`;
}
