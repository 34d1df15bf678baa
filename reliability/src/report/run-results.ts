import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { ChaosReport } from '../chaos/run-chaos.js';
import type { StoreKind } from '../stores/store-targets.js';

/** Bad inputs tried, by suite. */
export type BadInputCounts = Record<string, number>;

/** What one store went through in a run of the suite. */
export interface StoreResults {
  soak?: ChaosReport;
  crashRecovery?: ChaosReport;
  badInputs: BadInputCounts;
}

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
        { badInputs: results.badInputs, soak: results.soak && withoutDetail(results.soak), crashRecovery: results.crashRecovery && withoutDetail(results.crashRecovery) },
      ]),
    );
    const document = {
      date: new Date(this.started).toISOString(),
      mode: this.mode,
      seed: this.seed,
      durationMs: Date.now() - this.started,
      machine: { cpus: cpus().length, node: process.version, platform: process.platform },
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
  const { check, ...rest } = report;
  return { ...rest, check: { ok: check.ok, counts: check.counts, stats: check.stats, violations: check.violations.slice(0, 20) } };
}
