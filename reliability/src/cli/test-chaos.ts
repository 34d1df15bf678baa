/**
 * `pnpm run test:chaos [-- --long] [--seed N] [--stores sqlite,redis]`: the reliability
 * suite, bounded by default, a 10,000-turn soak per store with `--long`.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2).filter((arg) => arg !== '--');
const env = { ...process.env };
const valueOf = (flag: string) => {
  const index = args.indexOf(flag);
  return index >= 0 ? args[index + 1] : undefined;
};
if (args.includes('--long')) env.TICKETFLOW_CHAOS_LONG = '1';
if (valueOf('--seed')) env.TICKETFLOW_CHAOS_SEED = valueOf('--seed');
if (valueOf('--stores')) env.TICKETFLOW_CHAOS_STORES = valueOf('--stores');

const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const files = env.TICKETFLOW_CHAOS_LONG === '1' ? ['src/suite'] : [];
const result = spawnSync(process.execPath, [vitest, 'run', ...files], { cwd: packageRoot, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
