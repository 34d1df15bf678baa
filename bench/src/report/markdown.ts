import { ratioSpread, type Measurement } from '../measure/measurement.js';
import { CONCURRENCY_LABELS, type ConcurrencyResult } from '../scenarios/concurrency.js';
import type { GrowthResult } from '../scenarios/growth.js';
import type { GroupResult, Role } from '../scenarios/store-group.js';
import { floorRatio, overheadUs, peerRatio, type TargetResult } from './targets.js';

export interface Report {
  at: string;
  mode: 'quick' | 'full';
  node: string;
  cpu: string;
  settings: { memory: Sizes; stores: Sizes; concurrencyTurnsPerWorker: number; idleTickets: number };
  shapes: { kind: string; loads: number; writes: number; documentBytes: number[]; events: number[] }[];
  groups: GroupResult[];
  skipped: { label: string; reason: string }[];
  concurrency: ConcurrencyResult[];
  growth: GrowthResult;
  targets: TargetResult[];
  durationSeconds: number;
}

export interface Sizes {
  iterations: number;
  warmup: number;
  blockSize: number;
}

const ROLE_ORDER: Role[] = [
  'ask',
  'askAdapter',
  'askFloor',
  'execute',
  'executeAdapter',
  'executeFloor',
  'degraded',
  'degradedFloor',
  'degradedOpen',
  'degradedOpenFloor',
  'peerAsk',
  'peerExecute',
];

export function renderMarkdown(report: Report): string {
  const lines: string[] = [];
  const { memory, stores } = report.settings;
  lines.push(`## ticketflow benchmark — ${report.at} (${report.mode}; Node ${report.node}; ${report.cpu})`, '');
  lines.push(
    `Side by side in one run: on each store the variants alternate in blocks of ${memory.blockSize} (memory) / ${stores.blockSize} (SQLite, Postgres, Redis) iterations, the first variant rotating every round, after ${memory.warmup} / ${stores.warmup} warm-up iterations each; ${memory.iterations} / ${stores.iterations} measured iterations per variant. ` +
      "Median and p99 of per-iteration times; turns/s from the wall time of the variant's blocks; CPU = this process's user + system time per turn (the database servers' CPU is not included). Compare ratios, not absolute times: the machine is shared.",
    '',
  );
  lines.push('### Summary', '', renderSummary(report), '');
  lines.push(
    'Floors: what a competent engineer would write for the same turn on the same backend — one read of the ticket and one compare-and-set per write, with the same document and the same events (byte-identical: `JSON.stringify` of what ticketflow commits, checked against its encoding), with minimal statements and minimal tables, on the same connection setup and pool. No namespace, index columns, row lock, foreign key, validation or timers: what the adapter and the core add beyond that is the gap. ' +
      'Driver calls (round trips for Postgres and Redis, statements for SQLite, in-process) are counted in a separate short pass through counting drivers, never in the timed runs.',
    '',
  );
  const shapes = report.shapes.map(
    (shape) =>
      `${shape.kind}: ${shape.loads} load + ${shape.writes} write${shape.writes === 1 ? '' : 's'} (documents ${shape.documentBytes.join(' / ')} B, events ${shape.events.join(' / ')})`,
  );
  lines.push(
    `Steady-state turns (8 consecutive turns captured after 60; the floors and the adapter-only turns replay them in turn): ${shapes.join('; ')}.`,
    '',
  );

  lines.push('### Turns per store: ticketflow, the floor, LangGraph.js', '');
  for (const group of report.groups) {
    lines.push(`#### ${group.label}`, '', `Floor: ${group.floorLabel}.`, '');
    const callsHeader = group.callsLabel ? ` ${group.callsLabel} / turn |` : '';
    lines.push(`| variant | median µs | p99 µs | turns/s | CPU µs/turn |${callsHeader}`, `|---|---:|---:|---:|---:|${group.callsLabel ? '---:|' : ''}`);
    for (const role of ROLE_ORDER) {
      const entry = group.measurements[role];
      if (!entry) continue;
      const calls = group.callsLabel ? ` ${entry.storeCallsPerTurn ?? '—'} |` : '';
      lines.push(`| ${entry.name} | ${entry.medianUs} | ${entry.p99Us} | ${entry.turnsPerSecond} | ${entry.cpuUsPerTurn} |${calls}`);
    }
    lines.push('');
    if (group.backend === 'memory') {
      const m = group.measurements;
      lines.push(
        `Core overhead (ticketflow − the memory floor of the same writes, medians): ask ${fmt(overheadUs(m.ask, m.askFloor))} µs, ` +
          `degraded ${fmt(overheadUs(m.degraded, m.degradedFloor))} µs (LLM call fails) / ${fmt(overheadUs(m.degradedOpen, m.degradedOpenFloor))} µs (circuit open), ` +
          `execute ${fmt(overheadUs(m.execute, m.executeFloor))} µs (1 load + ${group.executeWrites} writes).`,
        '',
      );
    }
    if ('missing' in group.peer) lines.push(`LangGraph.js: ${group.peer.missing}.`, '');
  }
  for (const entry of report.skipped) lines.push(`#### ${entry.label}`, '', `**Skipped:** ${entry.reason}`, '');

  lines.push('#### Each store against its floor', '');
  lines.push(
    'Medians. "adapter only" is the same load and commits through the store\'s `TicketStore` without the core: floor → adapter → ticketflow splits the overhead between the adapter and the core.',
    '',
  );
  lines.push(
    '| store | turn | floor µs | adapter only µs | ticketflow µs | floor / ticketflow (IQR over rounds) | floor / adapter | adapter / ticketflow | ticketflow / floor (turns/s) | calls / turn (ticketflow · floor) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const group of report.groups) {
    const m = group.measurements;
    const rows = [
      ['ask', m.ask, m.askAdapter, m.askFloor],
      [`execute (1 load + ${group.executeWrites} writes)`, m.execute, m.executeAdapter, m.executeFloor],
      ['degraded (LLM call fails)', m.degraded, undefined, m.degradedFloor],
      ['degraded (circuit open)', m.degradedOpen, undefined, m.degradedOpenFloor],
    ] as const;
    for (const [turn, handle, adapter, floor] of rows) {
      if (!handle || !floor) continue;
      const calls = group.callsLabel ? `${handle.storeCallsPerTurn} · ${floor.storeCallsPerTurn} ${group.callsLabel}` : '—';
      lines.push(
        `| ${group.label} | ${turn} | ${floor.medianUs} | ${adapter?.medianUs ?? '—'} | ${handle.medianUs} | ${fmt(floorRatio(handle, floor))}${spread(handle, floor)} | ${fmt(floorRatio(adapter, floor))} | ${fmt(floorRatio(handle, adapter))} | ${throughputRatio(handle, floor)} | ${calls} |`,
      );
    }
  }
  lines.push('');

  lines.push('### Concurrency (ask turns)', '');
  lines.push(
    '| store | mode | turns | turns/s | median µs | p99 µs | CPU µs/turn | conflicts re-run / 1,000 turns | gave up |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const entry of report.concurrency) {
    const label = report.groups.find((group) => group.backend === entry.backend)?.label ?? entry.backend;
    lines.push(
      `| ${label} | ${CONCURRENCY_LABELS[entry.mode]} | ${entry.turns} | ${entry.turnsPerSecond} | ${entry.medianUs} | ${entry.p99Us} | ${entry.cpuUsPerTurn} | ${entry.conflictsPer1000Turns} | ${entry.gaveUp} |`,
    );
  }
  lines.push('');

  lines.push('### Growth of one ticket (ask turns with a messageId each)', '', '| turn | prompt chars | document bytes |', '|---:|---:|---:|');
  for (const entry of report.growth.byTurn) lines.push(`| ${entry.turn} | ${entry.promptChars} | ${entry.documentBytes} |`);
  const heap = report.growth.heapBytesPerIdleTicket;
  lines.push(
    '',
    `Prompt at turn 200 / turn 10: ${report.growth.promptRatio200to10}×; document at turn 200 / turn 100: ${report.growth.documentRatio200to100}×. ` +
      `Heap of ${report.growth.idleTickets.toLocaleString('en')} idle tickets in MemoryTicketStore: ${heap === null ? 'n/a (run node with --expose-gc)' : `${heap} bytes per ticket (${((heap * 10_000) / 1_048_576).toFixed(1)} MiB per 10,000)`}.`,
    '',
  );

  lines.push('### The peer: LangGraph.js on the same stores', '');
  lines.push(
    '| store | turn | ticketflow turns/s | LangGraph.js turns/s | ticketflow / LangGraph.js | ticketflow median µs | LangGraph.js median µs | calls / turn (ticketflow · LangGraph.js) |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const group of report.groups) {
    if ('missing' in group.peer) {
      lines.push(`| ${group.label} | — | ${group.measurements.ask?.turnsPerSecond ?? '—'} | — | — | — | — | no LangGraph.js checkpointer (see the note) |`);
      continue;
    }
    for (const [turn, ours, theirs] of [
      ['ask', group.measurements.ask, group.measurements.peerAsk],
      ['execute (2 tools)', group.measurements.execute, group.measurements.peerExecute],
    ] as const) {
      if (!ours || !theirs) continue;
      const calls = group.callsLabel ? `${ours.storeCallsPerTurn} · ${theirs.storeCallsPerTurn} ${group.callsLabel}` : '—';
      lines.push(
        `| ${group.label} | ${turn} | ${ours.turnsPerSecond} | ${theirs.turnsPerSecond} | ${fmt(peerRatio(ours, theirs))}× | ${ours.medianUs} | ${theirs.medianUs} | ${calls} |`,
      );
    }
  }
  lines.push('');

  lines.push(`### Targets${report.mode === 'quick' ? ' (quick mode: shown, not checked)' : ''}`, '', '| target | this run | |', '|---|---:|:-:|');
  for (const entry of report.targets) lines.push(`| ${entry.target} | ${entry.value} | ${entry.met === null ? '—' : entry.met ? '✓' : '✗'} |`);
  lines.push('', `Run time: ${report.durationSeconds} s.`);
  return lines.join('\n');
}

/**
 * The short table for the README: per store and kind of turn, the latency, throughput and
 * CPU of `handle`, and the two ratios that travel across machines.
 */
export function renderSummary(report: Report): string {
  const lines = [
    '| store | turn | median µs | p99 µs | turns/s | CPU µs/turn | floor / ticketflow (µs over the floor) | driver calls / turn | ticketflow / LangGraph.js (turns/s) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const group of report.groups) {
    const m = group.measurements;
    const turns = [
      ['ask', m.ask, m.askFloor, m.peerAsk],
      ['execute (2 tools)', m.execute, m.executeFloor, m.peerExecute],
      ['degraded (LLM call fails)', m.degraded, m.degradedFloor, undefined],
    ] as const;
    for (const [turn, handle, floor, peer] of turns) {
      if (!handle) continue;
      const calls = group.callsLabel && handle.storeCallsPerTurn !== undefined ? `${handle.storeCallsPerTurn} ${group.callsLabel}` : '—';
      const peerCell = 'missing' in group.peer ? (turn === 'ask' ? 'no saver for this store' : '—') : peer ? `${fmt(peerRatio(handle, peer))}×` : '—';
      lines.push(
        `| ${group.label} | ${turn} | ${handle.medianUs} | ${handle.p99Us} | ${handle.turnsPerSecond} | ${handle.cpuUsPerTurn} | ${fmt(floorRatio(handle, floor))} (${fmt(overheadUs(handle, floor))}) | ${calls} | ${peerCell} |`,
      );
    }
  }
  for (const entry of report.skipped) lines.push(`| ${entry.label} | skipped: ${entry.reason} | | | | | | | |`);
  return lines.join('\n');
}

function spread(handle: Measurement, floor: Measurement): string {
  const range = ratioSpread(handle, floor);
  return range ? ` (${range[0]}–${range[1]})` : '';
}

function fmt(value: number | null): string {
  return value === null ? '—' : String(value);
}

function throughputRatio(handle: Measurement, floor: Measurement): string {
  return floor.turnsPerSecond > 0 ? String(Math.round((handle.turnsPerSecond / floor.turnsPerSecond) * 100) / 100) : '—';
}
