import { StoreError, type Agent, type TicketStore } from '@ticketflow/core';
import { benchAgent, benchMessage } from '../bench-domain.js';
import { latencyUs, round } from '../measure/measurement.js';
import type { Backend } from '../stores/backends.js';
import type { TurnShape } from '../turn-shapes.js';
import { seed } from './store-group.js';

export type ConcurrencyMode = 'tickets' | 'oneTicketOneAgent' | 'oneTicketManyAgents';

export const CONCURRENCY_LABELS: Record<ConcurrencyMode, string> = {
  tickets: '8 tickets in parallel (1 agent)',
  oneTicketOneAgent: '8 concurrent turns on 1 ticket, 1 agent (its mutex)',
  oneTicketManyAgents: '8 concurrent turns on 1 ticket, 8 agents (compare-and-set)',
};

export interface ConcurrencyResult {
  backend: Backend['id'];
  mode: ConcurrencyMode;
  turns: number;
  turnsPerSecond: number;
  medianUs: number;
  p99Us: number;
  cpuUsPerTurn: number;
  /** Commits that lost their compare-and-set, each re-run by the core. */
  conflicts: number;
  conflictsPer1000Turns: number;
  /** `handle` calls that gave up (StoreError `conflict` after the core's retries). */
  gaveUp: number;
}

const WORKERS = 8;

/**
 * Scenario 3 on one backend, with ask turns:
 * - 8 workers on 8 tickets through one agent (throughput when turns do not collide);
 * - 8 workers on one ticket through one agent: its per-ticket mutex serialises them;
 * - 8 workers on one ticket, each its own agent and store instance (as 8 processes
 *   would): turns race, the compare-and-set lets one win and the core re-runs the others.
 * Lost compare-and-sets are counted on each store's `commit` results (`ok: false`).
 */
export async function runConcurrency(backend: Backend, shape: TurnShape, turnsPerWorker: number): Promise<ConcurrencyResult[]> {
  const results: ConcurrencyResult[] = [];
  const tag = Math.random().toString(36).slice(2, 8);

  const shared = counted(backend.store);
  const sharedAgent = benchAgent('ask', shared.store);
  const ticketIds = Array.from({ length: WORKERS }, (_, worker) => `conc-${tag}-${worker}`);
  for (const ticketId of ticketIds) await seed(backend.store, ticketId, shape);
  results.push(await run(backend, 'tickets', shared, () => ticketIds.map((ticketId) => ({ agent: sharedAgent, ticketId })), turnsPerWorker));

  const single = `conc-${tag}-one`;
  await seed(backend.store, single, shape);
  results.push(await run(backend, 'oneTicketOneAgent', shared, () => ticketIds.map(() => ({ agent: sharedAgent, ticketId: single })), turnsPerWorker));

  const instances = Array.from({ length: WORKERS }, () => counted(backend.openStore()));
  const many = `conc-${tag}-many`;
  await seed(backend.store, many, shape);
  const conflictsOf = {
    get conflicts() {
      return instances.reduce((sum, entry) => sum + entry.conflicts, 0);
    },
  };
  results.push(
    await run(
      backend,
      'oneTicketManyAgents',
      conflictsOf,
      () => instances.map((instance) => ({ agent: benchAgent('ask', instance.store), ticketId: many })),
      turnsPerWorker,
    ),
  );
  for (const instance of instances) await instance.store.close();
  return results;
}

async function run(
  backend: Backend,
  mode: ConcurrencyMode,
  conflictSource: { conflicts: number },
  workers: () => { agent: Agent; ticketId: string }[],
  turnsPerWorker: number,
): Promise<ConcurrencyResult> {
  const plan = workers();
  // Warm-up: a few turns per worker, unmeasured.
  await Promise.all(plan.map(({ agent, ticketId }, worker) => turns(agent, ticketId, `w${mode}${worker}`, 0, 3, [])));
  const conflictsBefore = conflictSource.conflicts;
  const durations: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const gaveUp = (
    await Promise.all(plan.map(({ agent, ticketId }, worker) => turns(agent, ticketId, `${mode}${worker}`, 0, turnsPerWorker, durations)))
  ).reduce((sum, count) => sum + count, 0);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const conflicts = conflictSource.conflicts - conflictsBefore;
  const done = durations.length;
  return {
    backend: backend.id,
    mode,
    turns: done,
    turnsPerSecond: Math.round(done / (wallMs / 1_000)),
    ...latencyUs(durations),
    cpuUsPerTurn: round((cpu.user + cpu.system) / Math.max(1, done)),
    conflicts,
    conflictsPer1000Turns: round((conflicts / Math.max(1, done)) * 1_000),
    gaveUp,
  };
}

/** Runs `count` turns in a row; returns how many gave up on a contended ticket. */
async function turns(agent: Agent, ticketId: string, prefix: string, first: number, count: number, durations: number[]): Promise<number> {
  let gaveUp = 0;
  for (let index = first; index < first + count; index += 1) {
    const begin = performance.now();
    try {
      await agent.handle(benchMessage(ticketId, index, prefix));
      durations.push(performance.now() - begin);
    } catch (error) {
      if (!(StoreError.isInstance(error) && error.kind === 'conflict')) throw error;
      gaveUp += 1;
    }
  }
  return gaveUp;
}

/** A store whose lost compare-and-sets are counted. */
function counted(store: TicketStore): { store: TicketStore; conflicts: number } {
  const entry = {
    conflicts: 0,
    store: {
      load: (ticketId: string) => store.load(ticketId),
      commit: async (request: Parameters<TicketStore['commit']>[0]) => {
        const result = await store.commit(request);
        if (!result.ok) entry.conflicts += 1;
        return result;
      },
      events: (ticketId: string, options?: Parameters<TicketStore['events']>[1]) => store.events(ticketId, options),
      delete: (ticketId: string) => store.delete(ticketId),
      list: (query?: Parameters<TicketStore['list']>[0]) => store.list(query),
      purge: (options: Parameters<TicketStore['purge']>[0]) => store.purge(options),
      close: () => store.close(),
    } satisfies TicketStore,
  };
  return entry;
}
