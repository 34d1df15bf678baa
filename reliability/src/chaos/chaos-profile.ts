import { TOOL_FAULT_KINDS, type ToolFaultKind } from '../faults/tool-fault-plan.js';
import type { ChaosDomain, WorkerAgentSettings } from '../worker/worker-protocol.js';

/** The shape of one chaos run. */
export interface ChaosProfile {
  name: string;
  /** The agent the workers run, and the customer scripts they get. */
  domain: ChaosDomain;
  tickets: number;
  /** Customer messages in all (resends and reused ids not counted). */
  turns: number;
  workers: number;
  /** Clock skew of each worker slot, in order (cycled), added to the agent's `now`, ms. */
  workerSkewsMs: readonly number[];
  /** Sweeper processes (`agent.recover()`): how many, their clock skews, and how often they sweep during the run (0: only at the end). */
  sweepers: { count: number; skewsMs: readonly number[]; everyMs: number };
  /** Jobs in flight at once, over all workers. */
  concurrency: number;
  /** Chance that a ticket with a message in flight gets its next one at the same time. */
  overlap: number;
  /** Acknowledged turns between two SIGKILLs (jittered ±20 %); 0: no kills. */
  killEvery: number;
  /** Tool reports to wait for a hanging call before a kill takes any tool call. */
  killPreferHangFor: number;
  /** Acknowledged turns between two freezes (SIGSTOP … SIGCONT) of a worker in a tool call; 0: none. */
  pauseEvery: number;
  /** How long a freeze lasts: longer than the lease, so that another worker takes over. */
  pauseMs: number;
  /** Acknowledged turns between two kills of the worker that last suspended a procedure (E6); 0: none. */
  killSuspenderEvery: number;
  /** Acknowledged turns between two erasures of a ticket whose id then lives on (P3); 0: none. */
  eraseEvery: number;
  /** T7: chance that a ticket's next job re-sends one of its old `messageId`s (same text), or re-uses one with another text. */
  resends: { oldRate: number; reuseRate: number };
  /** Acknowledged turns between two restarts of the store server (Redis without persistence, Postgres backends terminated); 0: none. */
  restartEvery: number;
  /** Share of pending approvals approved (the rest are rejected). */
  approveShare: number;
  faults: {
    /** Share of LLM calls that fail (every `LLMError` kind, invalid JSON, schema-invalid JSON, hangs). */
    llmRate: number;
    /** Share of tool runs that fail (retryable, non-retryable, hang past the timeout, lost reply). */
    toolRate: number;
    /** The tool faults drawn from, each equally likely. */
    toolKinds: readonly ToolFaultKind[];
    /** Share of compensations whose first attempt fails. */
    undoRate: number;
  };
  agent: WorkerAgentSettings;
  /** The run fails if its scripts take longer. */
  maxDurationMs: number;
}

const SECOND = 1_000;
const HOUR = 3_600_000;
// 3 s: on a loaded 2-core machine a SQLite commit can wait for the write lock for most of a
// 2 s lease, and a worker that cannot renew for a whole lease is taken over (rightly).
const agent: WorkerAgentSettings = { leaseMs: 3_000, llmTimeoutMs: 300, toolTimeoutMs: 250, backendLatencyMs: [2, 12] };

/**
 * Issues 8, 12, 15: 4 workers on 50 shared tickets, 400 turns, 20 % LLM faults, 10 % tool faults, a
 * SIGKILL every ~70 turns and a freeze (SIGSTOP, 3.8 s, past the 3 s lease) every ~70 turns
 * right as a tool call starts; every worker's clock is off (+31 s, −31 s, +1 h, −1 h) and so
 * are the two sweeper processes' (0, +1 h) that run `agent.recover()` every 1.5 s and, at the
 * end, until nothing is left — no final message pass; a ticket erased every ~90 turns and
 * its id used again (P3); 3 % of jobs re-send an old `messageId` beyond the 4-message window
 * and 1 % re-use one with another text (T7).
 */
export const SOAK: ChaosProfile = {
  name: 'soak',
  domain: 'telecom',
  tickets: 50,
  turns: 400,
  workers: 4,
  workerSkewsMs: [31 * SECOND, -31 * SECOND, HOUR, -HOUR],
  sweepers: { count: 2, skewsMs: [0, HOUR], everyMs: 1_500 },
  concurrency: 12,
  overlap: 0.2,
  killEvery: 70,
  killPreferHangFor: 10,
  pauseEvery: 70,
  pauseMs: 3_800,
  killSuspenderEvery: 0,
  eraseEvery: 90,
  resends: { oldRate: 0.03, reuseRate: 0.01 },
  restartEvery: 0,
  approveShare: 0.7,
  faults: { llmRate: 0.2, toolRate: 0.1, toolKinds: TOOL_FAULT_KINDS, undoRate: 0.1 },
  agent: { ...agent, messageIdWindow: 4 },
  maxDurationMs: 240_000,
};

/** `--long`: the same soak with 10,000 turns per store (strikes every ~100 turns). */
export const LONG_SOAK: ChaosProfile = {
  ...SOAK,
  name: 'soak-long',
  turns: 10_000,
  killEvery: 100,
  pauseEvery: 100,
  eraseEvery: 120,
  maxDurationMs: 3_600_000,
};

/**
 * Issue 4 item 6: 4 workers on 10 shared tickets, 100 turns, few faults; workers are
 * killed while a tool call hangs (in the middle of an executing turn), and their tickets
 * must recover.
 */
export const CRASH_RECOVERY: ChaosProfile = {
  ...SOAK,
  name: 'crash-recovery',
  tickets: 10,
  turns: 100,
  workerSkewsMs: [0],
  sweepers: { count: 1, skewsMs: [0], everyMs: 0 },
  concurrency: 8,
  overlap: 0.3,
  killEvery: 25,
  killPreferHangFor: 1_000,
  pauseEvery: 0,
  eraseEvery: 0,
  resends: { oldRate: 0, reuseRate: 0 },
  approveShare: 0.5,
  // Hangs often enough that every armed kill finds a hanging call within its 2.5 s (at 6 % and
  // 15 % some runs had no kill mid-execution at all).
  faults: { llmRate: 0, toolRate: 0.3, toolKinds: ['hang'], undoRate: 0 },
  agent,
  maxDurationMs: 120_000,
};

/**
 * Issue 16 item 3, issue 12 items 1, 2, 6: the procedures domain — a procedure that asks up to
 * four questions and branches on each answer (`onAbandon: 'compensate'`), one with parallel
 * calls around its asks (`'keep'`), parallel calls where one failure fails all, caught failed
 * calls, tool outputs with NUL and lone surrogates. Customers answer, switch intents, cancel
 * or go silent; the sweepers expire inputs older than 4 s. Workers are killed mid-tool
 * (preferably while resuming a procedure), the worker that last suspended a procedure is
 * killed every ~25 turns, one is frozen past its lease every ~60 turns.
 */
export const PROCEDURES: ChaosProfile = {
  ...SOAK,
  name: 'procedures',
  domain: 'procedures',
  tickets: 20,
  turns: 180,
  workerSkewsMs: [0, 31 * SECOND, -31 * SECOND, HOUR],
  sweepers: { count: 2, skewsMs: [0, -31 * SECOND], everyMs: 1_000 },
  concurrency: 10,
  killEvery: 45,
  pauseEvery: 60,
  killSuspenderEvery: 25,
  eraseEvery: 0,
  resends: { oldRate: 0.02, reuseRate: 0.01 },
  faults: { llmRate: 0.1, toolRate: 0.08, toolKinds: TOOL_FAULT_KINDS, undoRate: 0.1 },
  agent: { ...agent, messageIdWindow: 4, inputTimeoutMs: 4_000 },
  maxDurationMs: 150_000,
};

/** `--long`: the procedures run with 2,000 turns per store. */
export const LONG_PROCEDURES: ChaosProfile = { ...PROCEDURES, name: 'procedures-long', tickets: 60, turns: 2_000, maxDurationMs: 1_800_000 };

/**
 * Issue 12 item 5: the store's server restarted mid-turn — a throwaway Redis without
 * persistence (every ticket lost: new lives) or PostgreSQL's backends terminated (connections
 * cut, nothing lost) — every ~30 turns, on the telecom domain with few other faults.
 */
export const STORE_RESTART: ChaosProfile = {
  ...CRASH_RECOVERY,
  name: 'store-restart',
  tickets: 12,
  turns: 100,
  sweepers: { count: 1, skewsMs: [0], everyMs: 1_500 },
  killEvery: 0,
  restartEvery: 30,
  resends: { oldRate: 0.03, reuseRate: 0 },
  faults: { llmRate: 0.05, toolRate: 0.05, toolKinds: ['fail', 'lose-reply'], undoRate: 0 },
  agent: { ...agent, messageIdWindow: 4 },
};
