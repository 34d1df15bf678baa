import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LLM } from '@ticketflow/core';
import { GeminiLLM } from '@ticketflow/llm-gemini';
import { OllamaLLM } from '@ticketflow/llm-ollama';
import { createTelecomLLM } from '../../llm/create-telecom-llm.js';
import { loadTasks, TaskFileError } from '../task.js';
import { formatRun, formatSummary, reportJson, runHarness } from './run-harness.js';
import { agentSessions, type HarnessStore } from './task-session.js';

/** The harness's options, from the command line. */
export interface HarnessArgs {
  tasks: string;
  out: string | null;
  llm: 'mock' | 'gemini' | 'ollama';
  trials: number;
  store: HarnessStore;
  maxTurns: number;
  /** Base URL of the LLM server (Gemini `baseUrl`, Ollama host), e.g. a proxy or a loopback fake. */
  llmUrl: string | null;
}

export const HARNESS_USAGE = `usage: eval:tau2 -- --tasks <file> [--out <file>] [--llm mock|gemini|ollama] [--trials k]
                  [--store memory|sqlite[:<file>]] [--restart] [--max-turns n] [--llm-url <url>]
  --tasks      τ² telecom tasks (JSON array), e.g. ../../fixtures/tau2-telecom/tasks-dev.json
  --out        write the JSON report there (per task: verdict, turns, actions, assertions, transcript)
  --llm        who reads the customer's messages: mock (offline, default), gemini (GEMINI_API_KEY,
               GEMINI_MODEL), ollama (OLLAMA_HOST, OLLAMA_MODEL)
  --trials     conversations per task, for pass^k (default 1)
  --store      memory (default) or sqlite (a temporary file, or sqlite:<file>)
  --restart    with sqlite: a new agent and store connection for every message (a restart between turns)
  --max-turns  customer messages before a conversation counts as unfinished (default 60)
  --llm-url    the LLM server's base URL (a gateway, or a loopback fake in tests)`;

/** A command line the harness cannot run. */
export class HarnessUsageError extends Error {}

/**
 * Parses the harness's arguments (a leading `--`, as `pnpm run eval:tau2 -- …` passes it, is
 * skipped). Relative paths are resolved against `cwd` (the caller's directory: pnpm runs the
 * script in the package, so the CLI passes `INIT_CWD`).
 * @throws {HarnessUsageError} listing every problem.
 */
export function parseHarnessArgs(argv: readonly string[], cwd: string): HarnessArgs {
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        tasks: { type: 'string' },
        out: { type: 'string' },
        llm: { type: 'string' },
        trials: { type: 'string' },
        store: { type: 'string' },
        restart: { type: 'boolean' },
        'max-turns': { type: 'string' },
        'llm-url': { type: 'string' },
      },
    }).values;
  } catch (error) {
    throw new HarnessUsageError((error as Error).message);
  }
  const problems: string[] = [];
  const path = (value: string) => (isAbsolute(value) ? value : resolve(cwd, value));
  const count = (name: string, fallback: number, max: number) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const number = Number(raw);
    if (!Number.isInteger(number) || number < 1 || number > max) problems.push(`--${name} must be an integer from 1 to ${max} (got ${String(raw)})`);
    return number;
  };
  if (typeof values.tasks !== 'string' || values.tasks === '') problems.push('--tasks <file> is required');
  const llm = (values.llm as string | undefined) ?? 'mock';
  if (!['mock', 'gemini', 'ollama'].includes(llm)) problems.push(`--llm must be mock, gemini or ollama (got ${llm})`);
  const trials = count('trials', 1, 100);
  const maxTurns = count('max-turns', 60, 500);
  const storeText = (values.store as string | undefined) ?? 'memory';
  let store: HarnessStore = { kind: 'memory' };
  if (storeText.startsWith('sqlite')) {
    const file =
      storeText === 'sqlite' ? join(cwd, '.tmp', `tau2-${process.pid}-${Date.now()}.db`) : storeText.startsWith('sqlite:') ? path(storeText.slice(7)) : '';
    if (file === '') problems.push(`--store must be memory, sqlite or sqlite:<file> (got ${storeText})`);
    store = { kind: 'sqlite', filename: file, restartEveryTurn: values.restart === true };
  } else if (storeText !== 'memory') {
    problems.push(`--store must be memory, sqlite or sqlite:<file> (got ${storeText})`);
  }
  if (values.restart === true && store.kind !== 'sqlite') problems.push('--restart needs --store sqlite (a memory store does not survive a restart)');
  if (problems.length > 0) throw new HarnessUsageError(problems.join('\n'));
  return {
    tasks: path(values.tasks as string),
    out: typeof values.out === 'string' ? path(values.out) : null,
    llm: llm as HarnessArgs['llm'],
    trials,
    store,
    maxTurns,
    llmUrl: typeof values['llm-url'] === 'string' ? values['llm-url'] : null,
  };
}

/**
 * The LLM that reads the customer's messages.
 * @throws {HarnessUsageError} when gemini has no API key.
 */
export function harnessLLM(args: HarnessArgs, env: Readonly<Record<string, string | undefined>>): LLM {
  switch (args.llm) {
    case 'mock':
      return createTelecomLLM();
    case 'gemini': {
      const apiKey = env.GEMINI_API_KEY?.trim();
      if (!apiKey) throw new HarnessUsageError('--llm gemini needs GEMINI_API_KEY');
      return new GeminiLLM({ apiKey, ...(env.GEMINI_MODEL ? { model: env.GEMINI_MODEL } : {}), ...(args.llmUrl ? { baseUrl: args.llmUrl } : {}) });
    }
    case 'ollama':
      return new OllamaLLM({
        ...((args.llmUrl ?? env.OLLAMA_HOST) ? { host: (args.llmUrl ?? env.OLLAMA_HOST)! } : {}),
        ...(env.OLLAMA_MODEL ? { model: env.OLLAMA_MODEL } : {}),
      });
  }
}

/**
 * Runs the harness from a command line and prints one line per conversation and the
 * summary. Returns the exit code: 0 when every conversation passed, 1 when one failed, 2
 * for a command line or task file that cannot be used.
 */
export async function runHarnessCli(
  argv: readonly string[],
  options: { cwd: string; env: Readonly<Record<string, string | undefined>>; print: (line: string) => void },
): Promise<number> {
  let args: HarnessArgs;
  let llm: LLM;
  let tasks;
  try {
    args = parseHarnessArgs(argv, options.cwd);
    llm = harnessLLM(args, options.env);
    tasks = loadTasks(args.tasks);
  } catch (error) {
    if (error instanceof HarnessUsageError || error instanceof TaskFileError) {
      options.print(`${error.message}\n\n${HARNESS_USAGE}`);
      return 2;
    }
    throw error;
  }
  if (args.store.kind === 'sqlite') mkdirSync(dirname(args.store.filename), { recursive: true });
  const storeLabel = args.store.kind === 'memory' ? 'memory' : `sqlite ${args.store.filename}${args.store.restartEveryTurn ? ', restarted every turn' : ''}`;
  options.print(`tau2-telecom: ${tasks.length} task(s) × ${args.trials} trial(s) · LLM ${llm.name} · store ${storeLabel}`);
  const result = await runHarness(tasks, {
    sessions: agentSessions({ llm, store: args.store, agentOptions: args.llm === 'mock' ? {} : { llmTimeoutMs: 60_000 } }),
    trials: args.trials,
    maxTurns: args.maxTurns,
    onRun: (run) => options.print(formatRun(run, args.trials)),
  });
  if (args.out) {
    mkdirSync(dirname(args.out), { recursive: true });
    writeFileSync(
      args.out,
      `${JSON.stringify(reportJson(result, { tasksFile: args.tasks, llm: args.llm, model: llm.name, trials: args.trials, store: storeLabel }), null, 2)}\n`,
    );
  }
  for (const line of formatSummary(result)) options.print(line);
  if (args.store.kind === 'sqlite' && !existsSync(args.store.filename)) options.print(`warning: the SQLite file ${args.store.filename} was not created`);
  return result.failed === 0 ? 0 : 1;
}
