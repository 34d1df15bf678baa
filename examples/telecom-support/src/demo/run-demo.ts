import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { style } from './print-turn.js';

/**
 * Plays the scripted demo: part 1 in a child process that gets killed mid-call, part 2 in
 * a second child process on the same SQLite file (a fresh file per run, under `data/`).
 */
export function runDemo(options: { script: string; dataDirectory: string }): number {
  const started = performance.now();
  mkdirSync(options.dataDirectory, { recursive: true });
  const filename = join(options.dataDirectory, 'demo.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${filename}${suffix}`, { force: true });

  console.log(style.bold('ticketflow · telecom support demo'));
  console.log(style.dim(`SQLite file ${filename} · offline rules-based LLM · simulated telecom backend. Each turn shows the`));
  console.log(style.dim('customer message, the agent reply, the LLM decision, the chosen workflow and action, the slots and the backend calls.'));

  const run = (part: 1 | 2) => spawnSync(process.execPath, [...process.execArgv, options.script, `--part=${part}`, `--db=${filename}`], { stdio: 'inherit' });

  const first = run(1);
  if (first.signal === 'SIGKILL') {
    console.log(
      `\n${style.red('💥 process 1 was killed (SIGKILL) while activate_sim was running.')} The write-ahead journal had recorded the step as started.`,
    );
  } else {
    console.error(style.red(`part 1 ended unexpectedly (${first.signal ?? `exit code ${first.status}`})`));
    return 1;
  }
  const second = run(2);
  if (second.status !== 0) {
    console.error(style.red(`part 2 failed (${second.signal ?? `exit code ${second.status}`})`));
    return second.status ?? 1;
  }
  console.log(
    style.dim(
      `\ndone in ${((performance.now() - started) / 1_000).toFixed(1)} s · try it yourself: npm run demo -- --interactive · or the HTTP server: npm run serve`,
    ),
  );
  return 0;
}
