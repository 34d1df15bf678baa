import { TOOL_FAULT_KINDS, type ToolFaultKind } from '../faults/tool-fault-plan.js';

/** The shape of one chaos run. */
export interface ChaosProfile {
  name: string;
  tickets: number;
  /** Customer messages in all (the final recovery pass adds one per ticket). */
  turns: number;
  workers: number;
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
  agent: { leaseMs: number; llmTimeoutMs: number; toolTimeoutMs: number; backendLatencyMs: readonly [number, number] };
  /** The run fails if it takes longer. */
  maxDurationMs: number;
}

const agent = { leaseMs: 2_000, llmTimeoutMs: 300, toolTimeoutMs: 250, backendLatencyMs: [2, 12] } as const;

/**
 * Issue 8: 4 workers, 50 shared tickets, 1,000 turns, 20 % LLM faults, 10 % tool faults, a
 * SIGKILL every ~100 turns — and, every ~100 turns, a worker frozen (SIGSTOP) for 2.8 s
 * right as a tool call starts, past its 2 s lease (Jepsen's pause nemesis).
 */
export const SOAK: ChaosProfile = {
  name: 'soak',
  tickets: 50,
  turns: 1_000,
  workers: 4,
  concurrency: 12,
  overlap: 0.2,
  killEvery: 100,
  killPreferHangFor: 10,
  pauseEvery: 100,
  pauseMs: 2_800,
  approveShare: 0.7,
  faults: { llmRate: 0.2, toolRate: 0.1, toolKinds: TOOL_FAULT_KINDS, undoRate: 0.1 },
  agent,
  maxDurationMs: 240_000,
};

/** `--long`: the same soak with 10,000 turns per store. */
export const LONG_SOAK: ChaosProfile = { ...SOAK, name: 'soak-long', turns: 10_000, maxDurationMs: 3_600_000 };

/**
 * Issue 4 item 6: 4 workers on 10 shared tickets, 200 turns, few faults; workers are
 * killed while a tool call hangs (in the middle of an executing turn), and their tickets
 * must recover.
 */
export const CRASH_RECOVERY: ChaosProfile = {
  name: 'crash-recovery',
  tickets: 10,
  turns: 200,
  workers: 4,
  concurrency: 8,
  overlap: 0.3,
  killEvery: 40,
  killPreferHangFor: 1_000,
  pauseEvery: 0,
  pauseMs: 2_800,
  approveShare: 0.5,
  faults: { llmRate: 0, toolRate: 0.06, toolKinds: ['hang'], undoRate: 0 },
  agent,
  maxDurationMs: 120_000,
};
