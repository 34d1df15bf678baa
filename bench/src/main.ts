import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { coreOverhead } from './scenarios/core-overhead.js';
import { growth } from './scenarios/growth.js';
import type { Measurement } from './measure.js';

/**
 * `pnpm bench`: every scenario in one run, printed as markdown and written as JSON to
 * `bench/results/<date>.json`. `--quick` runs a few hundred turns for CI smoke (no
 * thresholds); `--no-write` skips the JSON file.
 */
const quick = process.argv.includes('--quick');
const write = !process.argv.includes('--no-write');
const iterations = quick ? 300 : 5_000;
const warmup = quick ? 100 : 1_000;

const started = new Date();
const core = await coreOverhead({ iterations, warmup });
const sizes = await growth({ idleTickets: quick ? 1_000 : 10_000 });

const lines: string[] = [];
lines.push(`## ticketflow benchmark — ${started.toISOString()} (${quick ? 'quick' : 'full'}; Node ${process.version}; ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'})`, '');
lines.push('### Core overhead (MemoryTicketStore, instant LLM)', '', table(core.measurements), '');
lines.push(`Overhead over the floor (median): ask ${core.overheadUs.ask} µs, execute ${core.overheadUs.execute} µs, degraded ${core.overheadUs.degraded} µs (target ≤ 50 µs).`, '');
lines.push('### Growth of one ticket', '', '| turn | prompt chars | document bytes |', '|---:|---:|---:|');
for (const entry of sizes.byTurn) lines.push(`| ${entry.turn} | ${entry.promptChars} | ${entry.documentBytes} |`);
lines.push('', `Prompt at turn 200 / turn 10: ${sizes.promptRatio200to10} (target ≤ 1.5). Heap per idle ticket: ${sizes.heapBytesPerIdleTicket ?? 'n/a (run with --expose-gc)'} bytes.`);
console.log(lines.join('\n'));

if (write) {
  const directory = new URL('../results/', import.meta.url);
  mkdirSync(directory, { recursive: true });
  const file = new URL(`${started.toISOString().slice(0, 10)}${quick ? '-quick' : ''}.json`, directory);
  writeFileSync(file, `${JSON.stringify({ at: started.toISOString(), quick, node: process.version, cpu: cpus()[0]?.model, core, growth: sizes }, null, 2)}\n`);
  console.log(`\nwritten: ${file.pathname}`);
}

function table(measurements: readonly Measurement[]): string {
  const rows = ['| scenario | median µs | p99 µs | turns/s | CPU µs/turn |', '|---|---:|---:|---:|---:|'];
  for (const entry of measurements) rows.push(`| ${entry.name} | ${entry.medianUs} | ${entry.p99Us} | ${entry.turnsPerSecond} | ${entry.cpuUsPerTurn} |`);
  return rows.join('\n');
}
