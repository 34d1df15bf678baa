import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { ChaosReport } from '../chaos/run-chaos.js';
import type { StoreKind } from '../stores/store-targets.js';

/** Bad inputs tried, by suite. */
export type BadInputCounts = Record<string, number>;

/** What one store went through in a run of the suite. */
export interface StoreResults {
  soak?: ChaosReport;
  crashRecovery?: ChaosReport;
  procedures?: ChaosReport;
  storeRestart?: ChaosReport;
  badInputs: BadInputCounts;
}

/** The chaos runs of a store, by name. */
export const CHAOS_RUNS = ['soak', 'crashRecovery', 'procedures', 'storeRestart'] as const;

/** The results of one run of the suite, printed as summary lines and written as JSON. */
export class RunResults {
  readonly stores: Partial<Record<StoreKind, StoreResults>> = {};
  /** Store-independent bad inputs (the parser property, the HTTP fuzz, `handle` on the memory store). */
  readonly badInputs: BadInputCounts = {};
  private readonly started = Date.now();

  constructor(
    readonly mode: 'default' | 'long',
    readonly seed: number,
  ) {}

  of(store: StoreKind): StoreResults {
    return (this.stores[store] ??= { badInputs: {} });
  }

  /** Writes `<directory>/<YYYY-MM-DD>[-long].json` and returns its path. */
  write(directory: string, lines: readonly string[]): string {
    mkdirSync(directory, { recursive: true });
    const file = join(directory, `${new Date(this.started).toISOString().slice(0, 10)}${this.mode === 'long' ? '-long' : ''}.json`);
    const stores = Object.fromEntries(
      Object.entries(this.stores).map(([store, results]) => [
        store,
        { badInputs: results.badInputs, ...Object.fromEntries(CHAOS_RUNS.filter((run) => results[run]).map((run) => [run, withoutDetail(results[run]!)])) },
      ]),
    );
    const document = {
      date: new Date(this.started).toISOString(),
      mode: this.mode,
      seed: this.seed,
      durationMs: Date.now() - this.started,
      machine: { cpus: cpus().length, node: process.version, platform: process.platform, loadAverage: loadavg().map((value) => Number(value.toFixed(1))) },
      finalMessagePass: false,
      summary: lines,
      badInputs: this.badInputs,
      stores,
    };
    writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
    return file;
  }
}

/** The report without the per-violation detail beyond the first few (the file stays small). */
function withoutDetail(report: ChaosReport) {
  const { check, crashes, pauses, ...rest } = report;
  return {
    ...rest,
    crashes: crashes.length,
    crashesByKind: Object.fromEntries(['kill', 'kill-suspender'].map((kind) => [kind, crashes.filter((crash) => crash.kind === kind).length])),
    crashesWhileResuming: crashes.filter((crash) => crash.resuming).length,
    pauses: pauses.length,
    check: {
      ok: check.ok,
      counts: check.counts,
      knownBugs: check.knownBugs,
      stats: check.stats,
      violations: check.violations.slice(0, 20),
      knownViolations: check.knownViolations.slice(0, 10),
    },
  };
}
