import type { CommitRequest, TicketStore } from '@ticketflow/core';
import { benchAgent, benchMessage, type TurnKind } from '../bench-domain.js';
import { adapterTurn, seed } from '../scenarios/store-group.js';
import { openMemory, openPostgres, openRedis, openSqlite, type BackendId, type BackendOutcome } from '../stores/backends.js';
import { captureTurnShape } from '../turn-shapes.js';

/**
 * Where a turn's wall time goes, phase by phase, on one store: the core's code before the
 * load, between the load and the commit, and after the commit, against the time spent inside
 * `store.load` and `store.commit`. The same load and commit sent by the adapter-only turn
 * (no core code between them) are timed alongside, in alternating blocks of 50 turns on new
 * steady-state tickets, so the report also shows how much slower the store's own calls run
 * when the core's code runs between them.
 *
 *   pnpm --filter @ticketflow/bench run phases ask postgres 2000
 *
 * Timing wraps the store in a forwarding object (two `performance.now()` per call, a few
 * hundred ns), in both variants alike. Medians of block means, in µs per turn.
 */
const [kind = 'ask', store = 'memory', count = '2000'] = process.argv.slice(2) as [TurnKind?, BackendId?, string?];
const BLOCK = 50;
const ROUNDS = 3;
const openers: Record<BackendId, () => Promise<BackendOutcome>> = { memory: openMemory, sqlite: openSqlite, postgres: openPostgres, redis: openRedis };

/** Timestamps of one turn's store calls, kept by {@link timedStore}. */
interface Clock {
  started: number;
  loadStarted: number;
  loadEnded: number;
  commitStarted: number;
  commitEnded: number;
  inStore: number;
}

/** Totals over a block, in ms. */
interface Phases {
  turns: number;
  wall: number;
  inStore: number;
  beforeLoad: number;
  betweenLoadAndCommit: number;
  afterCommit: number;
}

/** The store with its `load` and `commit` timed into `clock` (the first load and commit of a turn mark the phases). */
function timedStore(inner: TicketStore, clock: Clock): TicketStore {
  return {
    load: async (ticketId) => {
      const started = performance.now();
      if (clock.loadStarted === 0) clock.loadStarted = started;
      try {
        return await inner.load(ticketId);
      } finally {
        clock.loadEnded = performance.now();
        clock.inStore += clock.loadEnded - started;
      }
    },
    commit: async (request: CommitRequest) => {
      const started = performance.now();
      if (clock.commitStarted === 0) clock.commitStarted = started;
      try {
        return await inner.commit(request);
      } finally {
        clock.commitEnded = performance.now();
        clock.inStore += clock.commitEnded - started;
      }
    },
    events: (ticketId, options) => inner.events(ticketId, options),
    delete: (ticketId) => inner.delete(ticketId),
    list: (query) => inner.list(query),
    purge: (options) => inner.purge(options),
    close: () => inner.close(),
  };
}

function emptyPhases(): Phases {
  return { turns: 0, wall: 0, inStore: 0, beforeLoad: 0, betweenLoadAndCommit: 0, afterCommit: 0 };
}

/** Runs one block of turns, adding each turn's phases to `into`. */
async function runBlock(turn: (index: number) => Promise<unknown>, clock: Clock, first: number, into: Phases): Promise<void> {
  for (let index = first; index < first + BLOCK; index += 1) {
    Object.assign(clock, { started: performance.now(), loadStarted: 0, loadEnded: 0, commitStarted: 0, commitEnded: 0, inStore: 0 });
    await turn(index);
    const ended = performance.now();
    into.turns += 1;
    into.wall += ended - clock.started;
    into.inStore += clock.inStore;
    into.beforeLoad += clock.loadStarted - clock.started;
    into.betweenLoadAndCommit += clock.commitStarted - clock.loadEnded;
    into.afterCommit += ended - clock.commitEnded;
  }
}

function perTurn(total: number, phases: Phases): string {
  return ((total * 1_000) / Math.max(1, phases.turns)).toFixed(1).padStart(9);
}

const backend = await openers[store]();
if ('skipped' in backend) throw new Error(backend.skipped);
try {
  const shape = await captureTurnShape(kind);
  const clock: Clock = { started: 0, loadStarted: 0, loadEnded: 0, commitStarted: 0, commitEnded: 0, inStore: 0 };
  const timed = timedStore(backend.store, clock);
  const agent = benchAgent(kind, timed);
  let tickets = 0;
  const sides = {
    ticketflow: async () => {
      const ticketId = `phases-${process.pid}-${(tickets += 1)}`;
      await seed(backend.store, ticketId, shape);
      return (index: number) => agent.handle(benchMessage(ticketId, index, 'run'));
    },
    adapter: async () => {
      const ticketId = `phases-adapter-${process.pid}-${(tickets += 1)}`;
      await seed(backend.store, ticketId, shape);
      return adapterTurn(timed, ticketId, shape);
    },
  };
  const turns = Number(count);
  console.log(`${kind} turns on ${backend.label}: ${turns} per side and round, ${ROUNDS} rounds (the first is warm-up), blocks of ${BLOCK}\n`);
  console.log('µs per turn       round      wall  in store  core: before load  between  after commit');
  for (let round = 0; round < ROUNDS; round += 1) {
    const totals = { ticketflow: emptyPhases(), adapter: emptyPhases() };
    for (let first = 0; first < turns; first += BLOCK) {
      for (const name of (first / BLOCK) % 2 === 0 ? (['ticketflow', 'adapter'] as const) : (['adapter', 'ticketflow'] as const)) {
        await runBlock(await sides[name](), clock, round * turns + first, totals[name]);
      }
    }
    for (const name of ['ticketflow', 'adapter'] as const) {
      const phases = totals[name];
      const core =
        name === 'adapter'
          ? ''
          : `${perTurn(phases.beforeLoad, phases)}  ${perTurn(phases.betweenLoadAndCommit, phases)}  ${perTurn(phases.afterCommit, phases)}`;
      console.log(`${name.padEnd(12)} ${String(round).padStart(8)} ${perTurn(phases.wall, phases)} ${perTurn(phases.inStore, phases)}  ${core}`);
    }
  }
} finally {
  await backend.close();
}
