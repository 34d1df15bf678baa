import { collectEvidence, formatEvidence, type TicketEvidence } from '../report/violation-evidence.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, type StoreConfig } from '@ticketflow/example-telecom-support';
import { checkHistory } from '../checker/check-history.js';
import type { CheckReport, LoggedEvent } from '../checker/history.js';
import { parseIdempotencyKey } from '../checker/idempotency-key.js';
import { knownBugClassifier } from '../checker/known-bugs.js';
import { readTicketHistories } from '../checker/read-history.js';
import { SeededRandom } from '../faults/seeded-random.js';
import { SqliteEffectLedger } from '../ledger/sqlite-effect-ledger.js';
import { buildProcedureScripts } from '../procedures/procedure-scripts.js';
import { type StoreKind, storeConfigFor } from '../stores/store-targets.js';
import type { WorkerConfig } from '../worker/worker-protocol.js';
import { ChaosDriver, type Crash, type DriverRecord } from './chaos-driver.js';
import type { ChaosProfile } from './chaos-profile.js';
import { domainFacts } from './compensable-operations.js';
import { buildConversationScripts } from './conversation-scripts.js';
import { PostgresBackendKiller, type StoreRestarter, ThrowawayRedis } from './store-restarter.js';
import { type SweepRecord, SweeperCrew } from './sweeper-crew.js';
import { type ResendRecord, TicketScheduler } from './ticket-scheduler.js';
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
export interface ChaosReport extends Omit<DriverRecord, 'acknowledged' | 'erasedAnswers' | 'lifeEnds' | 'stops' | 'gaveUp'> {
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
  /** Clock skews of the workers and the sweepers, ms. */
  skewsMs: { workers: number[]; sweepers: number[] };
  sweeps: SweepRecord;
  resends: ResendRecord;
  erasures: number;
  erasedAnswers: number;
  /** Periods in which instances stopped renewing claims (kills, freezes, failed operations, restarts). */
  stops: number;
  /** Messages given up after conflicts in a row, and whether a known engine bug explains each one's ticket. */
  gaveUp: { ticketId: string; messageId: string; explainedBy: string | null }[];
  restartKind: string | null;
  check: CheckReport;
  /** What the first violating tickets went through (empty when the run is clean). */
  evidence: TicketEvidence[];
}

/**
 * One chaos run on one store: worker processes run the profile's agent on shared tickets with
 * injected LLM and tool faults, kills, freezes, skewed clocks, erasures, T7 probes and store
 * restarts; sweeper processes run `agent.recover()` during the run and, after the scripts,
 * until nothing is left (no final message pass); then the history checker reads the store's
 * tickets, the acknowledgements and the shared backend's ledger. Processes are always
 * stopped, and the run's tickets deleted.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const { profile, seed } = options;
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const directory = mkdtempSync(join(tmpdir(), `ticketflow-chaos-${options.store}-`));
  const runId = `${profile.name}-${seed}-${started.toString(36)}`;
  const namespace = `chaos-${runId}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  const { storeConfig, restarter } = await prepareStore(options.store, profile, directory, runId);
  const ledgerFile = join(directory, 'backend-ledger.db');
  const ledger = new SqliteEffectLedger({ filename: ledgerFile, worker: 'driver' });
  const random = new SeededRandom(seed);
  const scripts =
    profile.domain === 'procedures'
      ? buildProcedureScripts(random.fork(1), profile.tickets, profile.turns)
      : buildConversationScripts(random.fork(1), profile.tickets, profile.turns);
  const skew = (slot: string) =>
    (slot.startsWith('s') ? profile.sweepers.skewsMs : profile.workerSkewsMs)[
      (Number(slot.slice(1)) - 1) % (slot.startsWith('s') ? profile.sweepers.skewsMs.length : profile.workerSkewsMs.length)
    ] ?? 0;
  const config = (slot: string, incarnation: number): WorkerConfig => ({
    slot,
    incarnation,
    seed: seed * 1_000 + Number(slot.slice(1)) * 100 + incarnation + (slot.startsWith('s') ? 50 : 0),
    domain: profile.domain,
    store: storeConfig,
    namespace,
    ledgerFile,
    clockSkewMs: skew(slot),
    faults: profile.faults,
    agent: profile.agent,
  });
  const scheduler = new TicketScheduler(scripts, runId, profile, random.fork(4));
  const pool = new WorkerPool({
    size: profile.workers,
    config,
    onMessage: (slot, message) => driver.onWorkerMessage(slot, message),
    onStall: (slot, stall) => driver.onStall(slot, stall),
    onUnexpectedExit: (slot, lost, detail) => driver.onUnexpectedExit(slot, lost, detail),
  });
  const sweeperPool = new WorkerPool({
    size: profile.sweepers.count,
    prefix: 's',
    config,
    onMessage: (slot, message) => crew.onMessage(slot, message),
    onStall: (slot, stall) => driver.onStall(slot, stall),
    onUnexpectedExit: (_slot, lost) => crew.onExit(lost),
  });
  const driver = new ChaosDriver(pool, profile, random.fork(2), scheduler, restarter);
  const crew = new SweeperCrew(sweeperPool);
  const ticker = setInterval(() => driver.pump(), 20);
  try {
    await Promise.all([pool.start(), sweeperPool.start()]);
    log(`chaos[${options.store}] ${profile.name}: ${profile.workers} workers and ${profile.sweepers.count} sweepers ready after ${Date.now() - started} ms`);
    crew.startPeriodic(profile.sweepers.everyMs);
    await withDeadline(driver.runScripts(), profile.maxDurationMs, 'the scripts did not finish', () => driver.describeWaiting()).catch(
      async (error: unknown) => {
        log(await describeTickets(storeConfig, namespace, driver.busyTickets));
        throw error;
      },
    );
    driver.stopNemesis();
    crew.stopPeriodic();
    await pool.stop();
    log(
      `chaos[${options.store}] ${profile.name}: ${driver.record.turns} turns acknowledged after ${Date.now() - started} ms; the sweepers take over (no final message pass)`,
    );
    await crew.sweepUntilSettled(60_000);
  } finally {
    clearInterval(ticker);
    crew.stopPeriodic();
    await Promise.all([pool.stop(), sweeperPool.stop()]);
  }
  try {
    return await checkRun({ options, storeConfig, namespace, driver, crew, scheduler, ledger, started, restarter });
  } finally {
    await restarter?.close();
    ledger.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The store of a run, and what restarts its server when the profile asks for it. */
async function prepareStore(
  kind: StoreKind,
  profile: ChaosProfile,
  directory: string,
  runId: string,
): Promise<{ storeConfig: StoreConfig; restarter: StoreRestarter | null }> {
  const base = storeConfigFor(kind, directory);
  if (profile.restartEvery <= 0 || base.kind === 'sqlite') return { storeConfig: base, restarter: null };
  if (base.kind === 'redis') {
    const redis = await ThrowawayRedis.start();
    return { storeConfig: { kind: 'redis', url: redis.url }, restarter: redis };
  }
  const applicationName = `tf-chaos-${runId}`.slice(0, 60);
  return {
    storeConfig: { kind: 'postgres', connectionString: PostgresBackendKiller.tag(base.connectionString, applicationName) },
    restarter: new PostgresBackendKiller(base.connectionString, applicationName),
  };
}

interface FinishedRun {
  options: ChaosOptions;
  storeConfig: StoreConfig;
  namespace: string;
  driver: ChaosDriver;
  crew: SweeperCrew;
  scheduler: TicketScheduler;
  ledger: SqliteEffectLedger;
  started: number;
  restarter: StoreRestarter | null;
}

/** Reads what the run left and checks it; deletes the run's tickets afterwards. */
async function checkRun(run: FinishedRun): Promise<ChaosReport> {
  const { options, driver, ledger } = run;
  const store = createStore(run.storeConfig, run.namespace);
  try {
    const tickets = await readTicketHistories(store, driver.ticketIds);
    const ledgerHistory = ledger.readHistory();
    if (process.env.TICKETFLOW_CHAOS_DUMP)
      dumpHistories(process.env.TICKETFLOW_CHAOS_DUMP, `${options.store}-${options.profile.name}`, { tickets, ledger: ledgerHistory, record: driver.record });
    const { acknowledged, erasedAnswers, lifeEnds, stops, gaveUp, ...record } = driver.record;
    const facts = domainFacts(options.profile.domain);
    const check = checkHistory({
      tickets,
      acknowledged,
      effects: ledgerHistory.effects,
      calls: ledgerHistory.calls,
      compensableOperations: facts.compensableOperations,
      lifeEnds,
      erasedAnswers,
      refusedTexts: run.scheduler.refusedTexts,
      abandonPolicies: facts.abandonPolicies,
      stops,
      knownBug: knownBugClassifier(
        { endedLives: lifeEnds.some((end) => end.ticketId === '*') ? 'all' : new Set(lifeEnds.map((end) => end.ticketId)), resent: run.scheduler.resentIds },
        /^(1|true)$/i.test(process.env.TICKETFLOW_CHAOS_STRICT ?? ''),
      ),
    });
    const evidence = collectEvidence({ violations: check.violations, tickets, effects: ledgerHistory.effects, calls: ledgerHistory.calls, stops });
    if (evidence.length > 0) console.error(`${options.store} ${options.profile.name} seed ${options.seed}: violations\n${formatEvidence(evidence)}`);
    const faults = { llm: {} as Record<string, number>, tool: {} as Record<string, number> };
    for (const fault of ledgerHistory.faults) faults[fault.source][fault.kind] = (faults[fault.source][fault.kind] ?? 0) + 1;
    const { profile } = options;
    return {
      ...record,
      store: options.store,
      profile: profile.name,
      seed: options.seed,
      durationMs: Date.now() - run.started,
      acknowledged: acknowledged.length,
      faults,
      refusedLateCalls: ledgerHistory.refusedCalls,
      midExecutionKills: midExecutionKills(record.crashes, new Map(tickets.map((ticket) => [ticket.ticketId, ticket.events]))),
      skewsMs: {
        workers: Array.from({ length: profile.workers }, (_unused, index) => profile.workerSkewsMs[index % profile.workerSkewsMs.length]!),
        sweepers: Array.from({ length: profile.sweepers.count }, (_unused, index) => profile.sweepers.skewsMs[index % profile.sweepers.skewsMs.length]!),
      },
      sweeps: run.crew.record,
      resends: run.scheduler.resends,
      erasures: lifeEnds.filter((end) => end.cause === 'erase').length,
      erasedAnswers: erasedAnswers.length,
      stops: stops.length,
      gaveUp: gaveUp.map(({ ticketId, messageId }) => ({
        ticketId,
        messageId,
        explainedBy: check.knownViolations.find((violation) => violation.ticketId === ticketId)?.bug ?? null,
      })),
      restartKind: run.restarter?.description ?? null,
      check,
      evidence,
    };
  } finally {
    if (options.store !== 'sqlite') for (const ticketId of driver.ticketIds) await store.delete(ticketId).catch(() => undefined);
    await store.close();
  }
}

/** For each kill during a hanging tool call: was that execution recovered (by a turn or the sweeper)? */
function midExecutionKills(crashes: readonly Crash[], eventsOf: ReadonlyMap<string, readonly LoggedEvent[]>) {
  const result = { total: 0, recovered: 0, endedOtherwise: 0 };
  for (const crash of crashes) {
    const parsed = crash.trigger === 'tool:hung' && crash.key ? parseIdempotencyKey(crash.key) : null;
    if (!parsed) continue;
    result.total += 1;
    const events = eventsOf.get(parsed.ticketId) ?? [];
    const recoveredTurn = events.some(
      (event, index) =>
        event.type === 'execution.recovery_started' &&
        event.data?.turn === parsed.turn &&
        events.slice(index).some((later) => later.type === 'execution.recovered'),
    );
    if (recoveredTurn) result.recovered += 1;
    else result.endedOtherwise += 1;
  }
  return result;
}

/** The stored state of tickets a run is stuck on: status, claim, journal and last events. */
async function describeTickets(config: StoreConfig, namespace: string, ticketIds: readonly string[]): Promise<string> {
  const store = createStore(config, namespace);
  try {
    const histories = await readTicketHistories(store, ticketIds);
    return histories
      .map((history) => {
        const document = history.document as {
          status?: string;
          execution?: { owner?: string; leaseExpiresAt?: number | null; workflow?: string; steps?: { key: string; state: string }[] } | null;
        } | null;
        const execution = document?.execution;
        const claim = execution
          ? `${execution.workflow} owner ${execution.owner} lease ${execution.leaseExpiresAt === null || execution.leaseExpiresAt === undefined ? 'none' : `${execution.leaseExpiresAt - Date.now()} ms from now`} steps ${JSON.stringify(execution.steps?.map((step) => `${step.key.split(':').slice(-2).join(':')}=${step.state}`))}`
          : 'no execution';
        return `${history.ticketId}: v${history.version} ${document?.status} ${claim}; last events ${history.events
          .slice(-12)
          .map((event) => event.type)
          .join(' ')}`;
      })
      .join('\n');
  } finally {
    await store.close();
  }
}

/** `TICKETFLOW_CHAOS_DUMP=<directory>` keeps what the checker read, to investigate a violation. */
function dumpHistories(directory: string, name: string, content: unknown): void {
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, `${name}.json`), JSON.stringify(content));
}

async function withDeadline<T>(work: Promise<T>, ms: number, message: string, describe: () => string = () => ''): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms (${describe()})`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
