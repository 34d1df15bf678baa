/**
 * `node --import tsx src/cli/run-one.ts <store> <profile[,profile…]> [seed]`: chaos runs, their
 * summary and their first violations — to investigate one store and one profile without the
 * suite (`TICKETFLOW_CHAOS_DUMP=<dir>` keeps what the checker read).
 */
import { CRASH_RECOVERY, LONG_SOAK, PROCEDURES, SOAK, STORE_RESTART } from '../chaos/chaos-profile.js';
import { runChaos } from '../chaos/run-chaos.js';
import { killAllWorkers } from '../chaos/worker-pool.js';
import type { StoreKind } from '../stores/store-targets.js';

const profiles = { soak: SOAK, 'soak-long': LONG_SOAK, 'crash-recovery': CRASH_RECOVERY, procedures: PROCEDURES, 'store-restart': STORE_RESTART };
const [store = 'sqlite', names = 'soak', seed = '20250601'] = process.argv.slice(2);
try {
  for (const name of names.split(',')) await runOne(name);
} finally {
  killAllWorkers();
}

async function runOne(name: string): Promise<void> {
  const profile = profiles[name as keyof typeof profiles];
  if (!profile) throw new Error(`unknown profile ${name}: ${Object.keys(profiles).join(', ')}`);
  const report = await runChaos({ store: store as StoreKind, profile, seed: Number(seed), log: (line) => console.log(line) });
  const { check, ...rest } = report;
  console.log(JSON.stringify({ ...rest, crashes: rest.crashes.length, pauses: rest.pauses.length, unexpectedExits: rest.unexpectedExits.length }, null, 1));
  for (const exit of rest.unexpectedExits) console.log(`unexpected exit: ${exit}`);
  console.log(JSON.stringify({ counts: check.counts, knownBugs: check.knownBugs, stats: check.stats }, null, 1));
  const byRule = new Map<string, number>();
  for (const violation of check.violations) byRule.set(violation.rule, (byRule.get(violation.rule) ?? 0) + 1);
  console.log('violations by rule', Object.fromEntries(byRule));
  for (const violation of check.violations.slice(0, 40)) console.log(`${violation.rule} ${violation.ticketId}: ${violation.detail}`);
  for (const violation of check.knownViolations.slice(0, 10))
    console.log(`known ${violation.bug}: ${violation.rule} ${violation.ticketId}: ${violation.detail}`);
}
