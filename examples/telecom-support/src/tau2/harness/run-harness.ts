import type { Tau2Task } from '../task.js';
import type { WorldAction } from '../world/types.js';
import { passHatK } from './pass-hat-k.js';
import { playTask, type TaskRun } from './play-task.js';
import type { SessionFactory } from './task-session.js';

/** Options of {@link runHarness}. */
export interface HarnessOptions {
  sessions: SessionFactory;
  /** Conversations per task (pass^k needs k). Default 1. */
  trials?: number;
  maxTurns?: number;
  /** Called after each conversation (e.g. to print its line). */
  onRun?: (run: TaskRun) => void;
}

/** The result of a harness run. */
export interface HarnessResult {
  runs: TaskRun[];
  passed: number;
  failed: number;
  /** pass^k for k = 1 … trials. */
  passHatK: Record<number, number>;
}

/** Plays every task `trials` times, in order, and computes pass^k over the tasks. */
export async function runHarness(tasks: readonly Tau2Task[], options: HarnessOptions): Promise<HarnessResult> {
  const trials = options.trials ?? 1;
  const runs: TaskRun[] = [];
  for (const task of tasks) {
    for (let trial = 1; trial <= trials; trial += 1) {
      const run = await playTask(task, { sessions: options.sessions, trial, ...(options.maxTurns !== undefined ? { maxTurns: options.maxTurns } : {}) });
      runs.push(run);
      options.onRun?.(run);
    }
  }
  const perTask = tasks.map((task) => {
    const own = runs.filter((run) => run.id === task.id);
    return [own.filter((run) => run.verdict === 'PASS').length, own.length] as const;
  });
  const passed = runs.filter((run) => run.verdict === 'PASS').length;
  return { runs, passed, failed: runs.length - passed, passHatK: passHatK(perTask) };
}

const READS = /^(check_|get_|run_speed_test$|can_send_mms$)/;

/** An action as the report lists it: `user toggle_roaming`, `assistant refuel_data(customer_id=C1001, …)` (long values clipped; the JSON has them whole). */
export function describeAction(action: WorldAction): string {
  const clip = (text: string) => (text.length > 40 ? `${text.slice(0, 39)}…` : text);
  const args = Object.entries(action.arguments).map(([name, value]) => `${name}=${clip(typeof value === 'string' ? value : JSON.stringify(value))}`);
  const flags = [action.ok ? '' : ' (refused)', action.undone ? ' (undone)' : ''].join('');
  return `${action.requestor} ${action.name}${args.length > 0 ? `(${args.join(', ')})` : ''}${flags}`;
}

/**
 * One line per conversation: `PASS <id> · 5 turns · user toggle_roaming`. The actions are
 * the changes (reads — checks, lookups, speed tests — are in the JSON report only).
 */
export function formatRun(run: TaskRun, trials: number): string {
  const changes = run.actions.filter((action) => !READS.test(action.name)).map(describeAction);
  const trial = trials > 1 ? ` (trial ${run.trial}/${trials})` : '';
  const why = run.verdict === 'FAIL' ? ` · ${run.evaluation.reasons.join('; ')}` : '';
  return `${run.verdict} ${run.id}${trial} · ${run.turns} turns · ${changes.length > 0 ? changes.join(', ') : 'no change'}${why}`;
}

/** The closing lines: pass^k (when several trials) and `tau2-telecom: N passed, M failed`. */
export function formatSummary(result: HarnessResult): string[] {
  const lines: string[] = [];
  const ks = Object.keys(result.passHatK).map(Number);
  if (ks.length > 1) lines.push(`pass^k: ${ks.map((k) => `pass^${k} ${(result.passHatK[k]! * 100).toFixed(1)}%`).join(', ')}`);
  lines.push(`tau2-telecom: ${result.passed} passed, ${result.failed} failed`);
  return lines;
}

/** The JSON report (`--out`): per conversation the id, verdict, turns, actions in order, assertions and transcript. */
export function reportJson(result: HarnessResult, meta: Record<string, unknown>): unknown {
  return {
    benchmark: 'tau2-telecom',
    ...meta,
    summary: { runs: result.runs.length, passed: result.passed, failed: result.failed, passHatK: result.passHatK },
    tasks: result.runs.map((run) => ({
      id: run.id,
      trial: run.trial,
      verdict: run.verdict,
      turns: run.turns,
      actions: run.actions,
      assertions: run.evaluation.assertions,
      expectedActions: run.evaluation.actions.map((check) => ({
        ...check.expected,
        performed: check.matchedIndex !== null,
        performedIndex: check.matchedIndex,
      })),
      unexpectedTransfer: run.evaluation.unexpectedTransfer,
      reasons: run.evaluation.reasons,
      ...(run.error ? { error: run.error } : {}),
      transcript: run.transcript,
    })),
  };
}
