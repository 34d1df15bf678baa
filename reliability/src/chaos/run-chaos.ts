import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createStore } from '@ticketflow/example-telecom-support';
import { checkHistory } from '../checker/check-history.js';
import type { CheckReport } from '../checker/history.js';
import { parseIdempotencyKey } from '../checker/idempotency-key.js';
import { readTicketHistories } from '../checker/read-history.js';
import { SeededRandom } from '../faults/seeded-random.js';
import { SqliteEffectLedger } from '../ledger/sqlite-effect-ledger.js';
import { type StoreKind, storeConfigFor } from '../stores/store-targets.js';
import type { WorkerConfig } from '../worker/worker-protocol.js';
import { ChaosDriver, type Crash, type DriverRecord } from './chaos-driver.js';
import type { ChaosProfile } from './chaos-profile.js';
import { compensableOperations } from './compensable-operations.js';
import { buildConversationScripts } from './conversation-scripts.js';
import { WorkerPool } from './worker-pool.js';

/** Options of {@link runChaos}. */
export interface ChaosOptions {
  store: StoreKind;
  profile: ChaosProfile;
  seed: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** Everything one run measured and the checker's verdict. */
export interface ChaosReport extends Omit<DriverRecord, 'acknowledged'> {
  store: StoreKind;
  profile: string;
  seed: number;
  durationMs: number;
  acknowledged: number;
  faults: { llm: Record<string, number>; tool: Record<string, number> };
  /** Calls the backend refused because their key had been undone: late calls of frozen workers. */
  refusedLateCalls: number;
  /** Kills that struck while a tool call hung, and how each interrupted execution ended. */
  midExecutionKills: { total: number; recovered: number; endedOtherwise: number };
  check: CheckReport;
}

/**
 * One chaos run on one store: N worker processes run the telecom agent on shared tickets
 * with injected LLM and tool faults and periodic SIGKILLs; then a final recovery pass, and
 * the history checker over the store's tickets, the acknowledgements and the shared
 * backend's ledger. Worker processes are always stopped, and the run's tickets deleted.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const { profile, seed } = options;
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const directory = mkdtempSync(join(tmpdir(), `ticketflow-chaos-${options.store}-`));
  const runId = `${profile.name}-${seed}-${started.toString(36)}`;
  const namespace = `chaos-${runId}`;
  const storeConfig = storeConfigFor(options.store, directory);
  const ledgerFile = join(directory, 'backend-ledger.db');
  const ledger = new SqliteEffectLedger({ filename: ledgerFile, worker: 'driver' });
  const random = new SeededRandom(seed);
  const scripts = buildConversationScripts(random.fork(1), profile.tickets, profile.turns);

  const config = (slot: string, incarnation: number): WorkerConfig => ({
    slot,
    incarnation,
    seed: seed * 1_000 + Number(slot.slice(1)) * 100 + incarnation,
    store: storeConfig,
    namespace,
    ledgerFile,
    faults: profile.faults,
    agent: profile.agent,
  });
  const pool = new WorkerPool({
    size: profile.workers,
    config,
    onMessage: (slot, message) => driver.onWorkerMessage(slot, message),
    onUnexpectedExit: (slot, lost, detail) => driver.onUnexpectedExit(slot, lost, detail),
  });
  const driver = new ChaosDriver(pool, profile, random.fork(2), scripts, runId);
  const ticker = setInterval(() => driver.pump(), 20);
  try {
    await pool.start();
    log(`chaos[${options.store}] ${profile.name}: ${profile.workers} workers ready after ${Date.now() - started} ms`);
    await withDeadline(driver.runScripts(), profile.maxDurationMs, 'the scripts did not finish');
    log(`chaos[${options.store}] ${profile.name}: ${driver.record.turns} turns acknowledged after ${Date.now() - started} ms; final recovery pass`);
    // Every claim a killed worker left has expired by now: the final pass recovers them all.
    await sleep(profile.agent.leaseMs + 300);
    await withDeadline(driver.runFinalPass(), 60_000, 'the final recovery pass did not finish');
  } finally {
    clearInterval(ticker);
    await pool.stop();
  }

  const store = createStore(storeConfig, namespace);
  try {
    const tickets = await readTicketHistories(store, driver.ticketIds);
    if (process.env.TICKETFLOW_CHAOS_DUMP) dumpHistories(process.env.TICKETFLOW_CHAOS_DUMP, `${options.store}-${profile.name}`, { tickets, ledger: ledger.readHistory(), record: driver.record });
    const ledgerHistory = ledger.readHistory();
    const { acknowledged, ...record } = driver.record;
    const check = checkHistory({ tickets, acknowledged, effects: ledgerHistory.effects, calls: ledgerHistory.calls, compensableOperations: compensableOperations() });
    const faults = { llm: {} as Record<string, number>, tool: {} as Record<string, number> };
    for (const fault of ledgerHistory.faults) faults[fault.source][fault.kind] = (faults[fault.source][fault.kind] ?? 0) + 1;
    const endings = new Map(tickets.map((ticket) => [ticket.ticketId, ticket.events]));
    return {
      ...record,
      store: options.store,
      profile: profile.name,
      seed,
      durationMs: Date.now() - started,
      acknowledged: acknowledged.length,
      faults,
      refusedLateCalls: ledgerHistory.refusedCalls,
      midExecutionKills: midExecutionKills(record.crashes, endings),
      check,
    };
  } finally {
    if (options.store !== 'sqlite') for (const ticketId of driver.ticketIds) await store.delete(ticketId).catch(() => undefined);
    await store.close();
    ledger.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** For each kill during a hanging tool call: did the next worker recover that execution? */
function midExecutionKills(crashes: readonly Crash[], eventsOf: ReadonlyMap<string, readonly { type: string; data?: Record<string, unknown> }[]>) {
  const result = { total: 0, recovered: 0, endedOtherwise: 0 };
  for (const crash of crashes) {
    const parsed = crash.trigger === 'tool:hung' && crash.key ? parseIdempotencyKey(crash.key) : null;
    if (!parsed) continue;
    result.total += 1;
    const events = eventsOf.get(parsed.ticketId) ?? [];
    const recoveredTurn = events.some((event, index) => event.type === 'execution.recovery_started' && event.data?.turn === parsed.turn && events.slice(index).some((later) => later.type === 'execution.recovered'));
    if (recoveredTurn) result.recovered += 1;
    else result.endedOtherwise += 1;
  }
  return result;
}

/** `TICKETFLOW_CHAOS_DUMP=<directory>` keeps what the checker read, to investigate a violation. */
function dumpHistories(directory: string, name: string, content: unknown): void {
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, `${name}.json`), JSON.stringify(content));
}

async function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
