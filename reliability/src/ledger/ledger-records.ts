import type { BackendCall, BackendEffect } from '@ticketflow/example-telecom-support';

/** An effect as the shared ledger keeps it: who applied it, how often, who undid it. */
export interface LedgerEffect extends BackendEffect {
  /** The worker instance that (last) applied it. */
  appliedBy: string;
  /** How many times the key took effect: more than 1 means it was applied again after an undo. */
  applications: number;
  /** The worker instance that undid it, when undone. */
  undoneBy?: string;
}

/** One call the backend received, with the worker instance that made it. */
export interface LedgerCall extends BackendCall {
  seq: number;
  worker: string;
  at: string;
}

/** Where an injected fault struck: an LLM call or a tool (backend) call. */
export type FaultSource = 'llm' | 'tool';

/** One injected fault. */
export interface FaultRecord {
  worker: string;
  source: FaultSource;
  kind: string;
}

/** Everything the ledger recorded during a run, for the history checker and the summary. */
export interface LedgerHistory {
  /** Effects that took place (undone ones included). */
  effects: LedgerEffect[];
  calls: LedgerCall[];
  faults: FaultRecord[];
  /** Keys undone before they took effect (tombstones). */
  cancelledKeys: string[];
  /** Calls refused because their key had been undone: late calls that would have outlived their compensation. */
  refusedCalls: number;
}
