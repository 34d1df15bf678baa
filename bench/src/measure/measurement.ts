/** Per-iteration statistics of one measured variant. */
export interface Measurement {
  name: string;
  iterations: number;
  medianUs: number;
  p99Us: number;
  meanUs: number;
  /** Iterations per second of wall time spent in this variant's blocks. */
  turnsPerSecond: number;
  /** Process CPU (user + system, all threads of this process; not the database server's) per iteration. */
  cpuUsPerTurn: number;
  /** Driver calls per iteration (round trips for Postgres and Redis, statements for SQLite), when counted. */
  storeCallsPerTurn?: number;
  /** Median of each block, in order: block i of every variant of a group ran in the same round. */
  blockMediansUs: number[];
}

/** Raw samples of one variant, accumulated over its blocks. */
export class Samples {
  readonly durations: number[] = [];
  readonly blockMedians: number[] = [];
  wallMs = 0;
  cpuUs = 0;
  storeCalls = 0;

  constructor(readonly name: string) {}

  summarize(counted: boolean): Measurement {
    const sorted = Float64Array.from(this.durations).sort();
    const count = sorted.length;
    const quantile = (q: number) => (count === 0 ? 0 : sorted[Math.min(count - 1, Math.floor(q * count))]! * 1_000);
    const total = sorted.reduce((sum, value) => sum + value, 0);
    return {
      name: this.name,
      iterations: count,
      medianUs: round(quantile(0.5)),
      p99Us: round(quantile(0.99)),
      meanUs: round(count === 0 ? 0 : (total / count) * 1_000),
      turnsPerSecond: this.wallMs === 0 ? 0 : Math.round(count / (this.wallMs / 1_000)),
      cpuUsPerTurn: round(count === 0 ? 0 : this.cpuUs / count),
      ...(counted ? { storeCallsPerTurn: round(count === 0 ? 0 : this.storeCalls / count, 2) } : {}),
      blockMediansUs: this.blockMedians.map((value) => round(value)),
    };
  }
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Median and p99 of a list of durations in milliseconds, in µs. */
export function latencyUs(durationsMs: readonly number[]): { medianUs: number; p99Us: number } {
  const sorted = Float64Array.from(durationsMs).sort();
  const at = (q: number) => (sorted.length === 0 ? 0 : round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 1_000));
  return { medianUs: at(0.5), p99Us: at(0.99) };
}

/** The interquartile range of `floor / handle` over the rounds: how steady a ratio was during the run. */
export function ratioSpread(handle: Measurement, floor: Measurement): [number, number] | null {
  const count = Math.min(handle.blockMediansUs.length, floor.blockMediansUs.length);
  if (count < 4) return null;
  const ratios = Float64Array.from({ length: count }, (_, index) => floor.blockMediansUs[index]! / handle.blockMediansUs[index]!).sort();
  return [round(ratios[Math.floor(count * 0.25)]!, 2), round(ratios[Math.min(count - 1, Math.floor(count * 0.75))]!, 2)];
}
