import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { TurnKind } from './bench-domain.js';
import { renderMarkdown, type Report, type Sizes } from './report/markdown.js';
import { checkTargets } from './report/targets.js';
import { runConcurrency, type ConcurrencyResult } from './scenarios/concurrency.js';
import { runGrowth } from './scenarios/growth.js';
import { renderInstrumentationCost, runInstrumentationCost } from './scenarios/instrumentation-cost.js';
import { runStoreGroup, type GroupResult } from './scenarios/store-group.js';
import { openMemory, openPostgres, openRedis, openSqlite, type Backend, type BackendId, type BackendOutcome } from './stores/backends.js';
import { captureTurnShape, type TurnShape } from './turn-shapes.js';

/**
 * `pnpm bench`: every scenario in one run, printed as markdown and written as JSON to
 * `bench/results/<date>.json`. `--quick` runs a few dozen turns per variant for CI smoke
 * (targets shown, not checked; well under a minute on an idle machine); `--no-write` skips the JSON file; `--stores=memory,sqlite`
 * limits the stores (for profiling).
 */
const started = new Date();
const quick = process.argv.includes('--quick');
const write = !process.argv.includes('--no-write');
const storesArgument = process.argv.find((argument) => argument.startsWith('--stores='));
const wanted = new Set<BackendId>((storesArgument?.slice('--stores='.length).split(',') ?? ['memory', 'sqlite', 'postgres', 'redis']) as BackendId[]);

const sizes: { memory: Sizes; stores: Sizes; concurrencyTurnsPerWorker: number; idleTickets: number } = quick
  ? {
      memory: { iterations: 40, warmup: 10, blockSize: 10 },
      stores: { iterations: 10, warmup: 5, blockSize: 5 },
      concurrencyTurnsPerWorker: 5,
      idleTickets: 1_000,
    }
  : {
      memory: { iterations: 3_000, warmup: 1_000, blockSize: 100 },
      stores: { iterations: 1_000, warmup: 100, blockSize: 50 },
      concurrencyTurnsPerWorker: 50,
      idleTickets: 10_000,
    };

const progress = (message: string) => process.stderr.write(`[bench ${((Date.now() - started.getTime()) / 1_000).toFixed(1)} s] ${message}\n`);

const kinds: TurnKind[] = ['ask', 'execute', 'degraded', 'degraded-open'];
const shapes = Object.fromEntries(await Promise.all(kinds.map(async (kind) => [kind, await captureTurnShape(kind)] as const))) as Record<TurnKind, TurnShape>;

const openers: Record<BackendId, () => Promise<BackendOutcome>> = { memory: openMemory, sqlite: openSqlite, postgres: openPostgres, redis: openRedis };
const backends: Backend[] = [];
const skipped: Report['skipped'] = [];
const groups: GroupResult[] = [];
const concurrency: ConcurrencyResult[] = [];
process.once('SIGINT', () => {
  progress('interrupted: removing what the run created');
  void Promise.allSettled(backends.map((backend) => backend.close())).finally(() => process.exit(130));
});
try {
  for (const id of ['memory', 'sqlite', 'postgres', 'redis'] as const) {
    if (!wanted.has(id)) continue;
    progress(`opening ${id}`);
    const outcome = await openers[id]();
    if ('skipped' in outcome) {
      progress(`skipping ${outcome.label}: ${outcome.skipped}`);
      skipped.push({ label: outcome.label, reason: outcome.skipped });
      continue;
    }
    backends.push(outcome);
    progress(`turns on ${outcome.label}`);
    groups.push(await runStoreGroup(outcome, shapes, id === 'memory' ? sizes.memory : sizes.stores));
  }
  for (const backend of backends) {
    progress(`concurrency on ${backend.label}`);
    concurrency.push(...(await runConcurrency(backend, shapes.ask, sizes.concurrencyTurnsPerWorker)));
  }
} finally {
  for (const backend of backends) await backend.close().catch((error: unknown) => progress(`closing ${backend.label} failed: ${String(error)}`));
}
progress('growth');
const growth = await runGrowth({ idleTickets: sizes.idleTickets });
console.log(renderInstrumentationCost(await runInstrumentationCost(shapes, sizes.memory), !quick));

const report: Report = {
  at: started.toISOString(),
  mode: quick ? 'quick' : 'full',
  node: process.version,
  cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
  settings: sizes,
  shapes: kinds.map((kind) => ({
    kind,
    loads: shapes[kind].loads,
    writes: shapes[kind].commits.length,
    documentBytes: shapes[kind].commits.map((commit) => Buffer.byteLength(JSON.stringify(commit.ticket))),
    events: shapes[kind].commits.map((commit) => commit.events.length),
  })),
  groups,
  skipped,
  concurrency,
  growth,
  targets: checkTargets(groups, growth, !quick, skipped),
  durationSeconds: Math.round((Date.now() - started.getTime()) / 1_000),
};
console.log(renderMarkdown(report));

if (write) {
  const directory = new URL('../results/', import.meta.url);
  mkdirSync(directory, { recursive: true });
  const file = new URL(`${report.at.slice(0, 10)}${quick ? '-quick' : ''}.json`, directory);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwritten: ${file.pathname}`);
}
