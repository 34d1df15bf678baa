/** C(n, k) for small n (trials), as a float. */
function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let index = 1; index <= k; index += 1) result = (result * (n - k + index)) / index;
  return result;
}

/**
 * pass^k of τ²-bench: for each task with n trials of which c passed, the chance that k
 * trials drawn without replacement all pass, C(c, k) / C(n, k); averaged over the tasks.
 * pass^1 is the mean success rate; pass^k falls as soon as a task is not consistent.
 * @param successes per task: [passed trials, total trials]
 * @returns pass^k for k = 1 … the smallest trial count.
 */
export function passHatK(successes: readonly (readonly [number, number])[]): Record<number, number> {
  if (successes.length === 0) return {};
  const trials = Math.min(...successes.map(([, total]) => total));
  const result: Record<number, number> = {};
  for (let k = 1; k <= trials; k += 1) {
    const sum = successes.reduce((total, [passed, runs]) => total + choose(passed, k) / choose(runs, k), 0);
    result[k] = sum / successes.length;
  }
  return result;
}
