import { expect } from 'vitest';
import type { ChaosProfile } from '../chaos/chaos-profile.js';
import type { ChaosReport } from '../chaos/run-chaos.js';

/**
 * What every chaos run must show: the checker found nothing it cannot explain (known, reported
 * engine bugs are reported apart, see `checker/known-bugs.ts`), all figures are 0, no worker
 * died unexpectedly, no job was refused for a reason the driver did not provoke, every script
 * line was acknowledged, and the sweepers — not a customer message — left nothing executing.
 */
export function expectCleanRun(report: ChaosReport, profile: ChaosProfile): void {
  expect(report.check.violations.slice(0, 20)).toEqual([]);
  expect(report.check.counts).toEqual({ lost: 0, duplicated: 0, corrupted: 0, uncompensated: 0, unsettled: 0, takenOver: 0 });
  expect(report.unexpectedExits).toEqual([]);
  expect(Object.keys(report.errors).filter((label) => label.includes('not retried'))).toEqual([]);
  // Every script line was answered: acknowledged, or answered that its ticket was erased meanwhile
  // (P3, a store that lost its data), or given up after conflicts on a ticket a known engine bug left claimed.
  expect(report.gaveUp.filter((message) => message.explainedBy === null)).toEqual([]);
  if (report.gaveUp.length === 0) expect(report.turns + report.erasedTurns).toBe(profile.turns);
  else expect(report.turns + report.erasedTurns + report.gaveUp.length).toBeGreaterThanOrEqual(profile.turns);
  expect(report.sweeps.final).toBeGreaterThanOrEqual(profile.sweepers.count);
  expect(report.sweeps.left.executing).toBe(0);
}

/** The soak's nemesis really struck: kills, freezes, faults of every kind, skewed clocks, erasures, T7 probes. */
export function expectSoakCoverage(report: ChaosReport, profile: ChaosProfile): void {
  expect(report.crashes.length).toBeGreaterThanOrEqual(Math.floor(profile.turns / profile.killEvery / 2));
  expect(report.pauses.length).toBeGreaterThanOrEqual(1);
  // A frozen worker sees its freeze as a stall when it wakes (the last one may be parked first):
  // the stall watch, which the claims rule relies on, works in the real processes.
  if (report.pauses.length >= 2) expect(report.stalls.count).toBeGreaterThanOrEqual(1);
  expect(Object.keys(report.faults.llm).length).toBeGreaterThanOrEqual(8);
  expect(report.skewsMs.workers).toEqual(expect.arrayContaining([31_000, -31_000, 3_600_000, -3_600_000]));
  expect(report.erasures).toBeGreaterThanOrEqual(1);
  expect(report.resends.resent).toBeGreaterThanOrEqual(1);
  expect(report.resends.answeredDuplicate).toBeGreaterThanOrEqual(1);
  expect(report.resends.reused).toBeGreaterThanOrEqual(1);
  expect(report.resends.reuseAccepted).toBe(0);
  expect(report.resends.refused + report.resends.reuseAfterLifeEnded).toBe(report.resends.reused);
  expect(report.sweeps.duringRun).toBeGreaterThanOrEqual(1);
}

/** The procedures run covered what issue 16 item 3 asks: asks, resumptions, both abandon policies, expiries, kills around suspensions. */
export function expectProcedureCoverage(report: ChaosReport): void {
  const { stats } = report.check;
  expect(stats.suspended).toBeGreaterThanOrEqual(10);
  expect(stats.resumed).toBeGreaterThanOrEqual(5);
  expect(stats.abandonedKeep).toBeGreaterThanOrEqual(1);
  expect(stats.abandonedCompensate).toBeGreaterThanOrEqual(1);
  expect(stats.inputsExpired).toBeGreaterThanOrEqual(1);
  expect(report.sweeps.inputsExpired).toBe(stats.inputsExpired);
  expect(stats.caughtFailures).toBeGreaterThanOrEqual(1);
  expect(report.crashes.filter((crash) => crash.kind === 'kill-suspender').length).toBeGreaterThanOrEqual(1);
  expect(report.resumedAfterKill).toBeGreaterThanOrEqual(1);
}
