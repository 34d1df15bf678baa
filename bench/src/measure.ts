/** Per-iteration statistics of one measured scenario. */
export interface Measurement {
  name: string;
  iterations: number;
  medianUs: number;
  p99Us: number;
  meanUs: number;
  turnsPerSecond: number;
  cpuUsPerTurn: number;
  extra?: Record<string, number | string>;
}

/**
 * Runs `iteration` `warmup` times unmeasured, then `iterations` times, timing each call
 * with `performance.now()` and the whole run's CPU with `process.cpuUsage()`.
 */
export async function measure(name: string, iteration: (index: number) => Promise<unknown> | unknown, options: { iterations: number; warmup: number }): Promise<Measurement> {
  for (let index = 0; index < options.warmup; index += 1) await iteration(index);
  const durations = new Float64Array(options.iterations);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let index = 0; index < options.iterations; index += 1) {
    const begin = performance.now();
    await iteration(options.warmup + index);
    durations[index] = performance.now() - begin;
  }
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  durations.sort();
  const quantile = (q: number) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]! * 1_000;
  const total = durations.reduce((sum, value) => sum + value, 0);
  return {
    name,
    iterations: options.iterations,
    medianUs: round(quantile(0.5)),
    p99Us: round(quantile(0.99)),
    meanUs: round((total / options.iterations) * 1_000),
    turnsPerSecond: Math.round(options.iterations / (wall / 1_000)),
    cpuUsPerTurn: round((cpu.user + cpu.system) / options.iterations),
  };
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
