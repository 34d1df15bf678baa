import type { ChaosReport } from '../chaos/run-chaos.js';
import type { StoreKind } from '../stores/store-targets.js';
import type { BadInputCounts, StoreResults } from './run-results.js';

const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);
const figures = (counts: Record<string, number>) => `{${Object.entries(counts).sort(([left], [right]) => left.localeCompare(right)).map(([kind, count]) => `${kind}:${count}`).join(',')}}`;
const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)}s`;

/**
 * The summary line of one store, ready to quote: the soak's turns, faults by kind,
 * crashes and recoveries, the crash-recovery run (issue 4 item 6), the bad inputs tried,
 * and the lost / duplicated / corrupted (and uncompensated, unsettled) counts of both runs'
 * history checks, which must all be 0.
 */
export function formatStoreSummary(store: StoreKind, results: StoreResults): string {
  const { soak, crashRecovery } = results;
  const runs = [soak, crashRecovery].filter((report): report is ChaosReport => report !== undefined);
  const total = (pick: (report: ChaosReport) => number) => sum(runs.map(pick));
  const parts = [`chaos[${store}]`];
  if (soak) {
    parts.push(
      `turns=${soak.turns}`,
      `acked=${soak.acknowledged}`,
      `llm-faults=${figures(soak.faults.llm)}`,
      `tool-faults=${figures(soak.faults.tool)}`,
      `crashes=${soak.crashes.length}`,
      `mid-tool=${soak.crashes.filter((crash) => crash.trigger.startsWith('tool:')).length}`,
      `pauses=${soak.pauses.length}`,
      `late-calls-refused=${soak.refusedLateCalls}`,
      `recoveries=${soak.check.stats.recovered}`,
      `resent=${soak.resent}`,
      `tool-retries=${soak.check.stats.retriedSteps}`,
      `replayed=${soak.check.stats.replayedCalls}`,
      `approvals=${soak.approvals.approved}/${soak.approvals.rejected}`,
      `degraded=${soak.check.stats.degradedTurns}`,
      `compensated=${soak.check.stats.compensatedSteps}`,
    );
  }
  if (crashRecovery) {
    const kills = crashRecovery.midExecutionKills;
    parts.push(`item6={turns:${crashRecovery.turns},kills:${crashRecovery.crashes.length},mid-execution:${kills.total},recovered:${kills.recovered}}`);
  }
  parts.push(`bad-inputs=${sum(Object.values(results.badInputs))}`);
  parts.push(
    `lost=${total((report) => report.check.counts.lost)}`,
    `duplicated=${total((report) => report.check.counts.duplicated)}`,
    `corrupted=${total((report) => report.check.counts.corrupted)}`,
    `uncompensated=${total((report) => report.check.counts.uncompensated)}`,
    `unsettled=${total((report) => report.check.counts.unsettled)}`,
  );
  if (runs.length > 0) parts.push(`time=${seconds(total((report) => report.durationMs))}`);
  return parts.join(' ');
}

/** The line of the store-independent bad inputs. */
export function formatBadInputSummary(counts: BadInputCounts, http5xx: number): string {
  return `bad-input ${Object.entries(counts).map(([suite, count]) => `${suite}=${count}`).join(' ')} http-5xx=${http5xx}`;
}
