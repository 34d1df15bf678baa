import { mkdirSync, writeFileSync } from 'node:fs';
import type { TurnKind } from '../bench-domain.js';
import { interleave } from '../measure/interleave.js';
import { ratioSpread, round, type Measurement } from '../measure/measurement.js';
import { openMemory, openPostgres, openRedis, openSqlite, type BackendId, type BackendOutcome } from '../stores/backends.js';
import { captureTurnShape } from '../turn-shapes.js';
import type { CommitRequest } from '@ticketflow/core';
import type { ExplainedWrite } from '../floors/postgres-floor.js';
import { gapLadder, type GapLadder } from './gap-ladders.js';
import type { GapStep } from './gap-step.js';

/**
 * Where the time goes between a store's floor and `handle`: the ladder of `gap-ladders.ts`,
 * every step interleaved in one set of rounds (as the main run does), printed as a markdown
 * table — median per turn, its difference to the previous step (what that step adds) and to
 * the floor, floor / step, this process's CPU per turn (the client's share: the database
 * server's time is the rest) — and written to `results/gap-<store>-<kind>.json`.
 *
 *   pnpm --filter @ticketflow/bench run gap postgres            # ask turns, 1,000 per step
 *   pnpm --filter @ticketflow/bench run gap sqlite execute 500
 */
const [store = 'postgres', kind = 'ask', count] = process.argv.slice(2) as [BackendId?, TurnKind?, string?];
const openers: Record<BackendId, () => Promise<BackendOutcome>> = { memory: openMemory, sqlite: openSqlite, postgres: openPostgres, redis: openRedis };
if (!(store in openers)) throw new Error(`usage: run-gap.ts <memory|sqlite|postgres|redis> [ask|execute|degraded] [iterations]`);
const iterations = Number(count ?? (store === 'memory' ? 3_000 : 1_000));
const blockSize = store === 'memory' ? 100 : 50;

const backend = await openers[store]();
if ('skipped' in backend) throw new Error(backend.skipped);
try {
  const shape = await captureTurnShape(kind);
  const ladder = await gapLadder(backend, kind, shape);
  try {
    const results = await interleave(ladder.steps, { iterations, warmup: Math.round(iterations / 5), blockSize });
    console.log(render(backend.label, kind, ladder.steps, results));
    const explained = ladder.explainers ? await explainAll(ladder.explainers, shape.commits[0]!, Math.max(20, Math.round(iterations / 10))) : null;
    if (explained) console.log(renderExplained(explained));
    const directory = new URL('../../results/', import.meta.url);
    mkdirSync(directory, { recursive: true });
    const file = new URL(`gap-${store}-${kind}.json`, directory);
    writeFileSync(
      file,
      `${JSON.stringify({ at: new Date().toISOString(), store, kind, iterations, steps: ladder.steps.map((step, index) => ({ ...results[index]!, name: step.name, adds: step.adds, single: step.single ?? false })), explained }, null, 2)}\n`,
    );
    console.log(`\nwritten: ${file.pathname}`);
  } finally {
    await ladder.cleanup();
  }
} finally {
  await backend.close();
}

function render(label: string, turn: string, steps: readonly GapStep[], results: readonly Measurement[]): string {
  const floor = results[0]!;
  const lines = [
    `### ${label}: ${turn} turn, from the floor to \`handle\``,
    '',
    '| step | median µs | + previous step | + floor | floor / step (IQR over rounds) | CPU µs/turn | what the step adds |',
    '|---|---:|---:|---:|---:|---:|---|',
  ];
  let previous: Measurement | null = null;
  steps.forEach((step, index) => {
    const result = results[index]!;
    const spread = ratioSpread(result, floor);
    const overPrevious = step.single || previous === null ? '—' : `${signed(result.medianUs - previous.medianUs)}`;
    lines.push(
      `| ${step.single ? '*' : ''}${step.name}${step.single ? '*' : ''} | ${result.medianUs} | ${overPrevious} | ${index === 0 ? '—' : signed(result.medianUs - floor.medianUs)} | ${round(floor.medianUs / result.medianUs, 2)}${spread ? ` (${spread[0]}–${spread[1]})` : ''} | ${result.cpuUsPerTurn} | ${step.adds} |`,
    );
    if (!step.single) previous = result;
  });
  lines.push('', '*Italic*: the floor with that one change only (not a rung of the ladder).');
  return lines.join('\n');
}

/** Medians of each step's write under EXPLAIN ANALYZE, the steps taking turns, `count` each. */
async function explainAll(explainers: NonNullable<GapLadder['explainers']>, commit: CommitRequest, count: number) {
  const samples = explainers.map(() => [] as ExplainedWrite[]);
  for (let round = 0; round < count; round += 1) {
    for (const [index, explainer] of explainers.entries()) samples[index]!.push(await explainer.explain(commit));
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return explainers.map((explainer, index) => {
    const list = samples[index]!;
    return {
      name: explainer.name,
      executionUs: round(median(list.map((entry) => entry.executionMs)) * 1_000),
      triggerUs: round(median(list.map((entry) => entry.triggerMs)) * 1_000),
      walRecords: median(list.map((entry) => entry.walRecords)),
      walBytes: median(list.map((entry) => entry.walBytes)),
    };
  });
}

function renderExplained(rows: Awaited<ReturnType<typeof explainAll>>): string {
  const lines = [
    '',
    "Server side of one write (the turn's commit under `EXPLAIN (ANALYZE, BUFFERS, WAL)`, rolled back; medians):",
    '',
    '| step | execution µs | of which FK triggers µs | WAL records (UPDATE + INSERT nodes) | WAL bytes |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const row of rows) lines.push(`| ${row.name} | ${row.executionUs} | ${row.triggerUs} | ${row.walRecords} | ${row.walBytes} |`);
  return lines.join('\n');
}

function signed(value: number): string {
  const rounded = round(value);
  return rounded >= 0 ? `+${rounded}` : `${rounded}`;
}
