#!/usr/bin/env node
// The `ticketflow` command (package.json `bin`). See ./usage.ts.
import { runCli } from './run-cli.js';

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => exit(code),
  (error: unknown) => {
    process.stderr.write(`ticketflow: ${error instanceof Error ? error.message : String(error)}\n`);
    exit(2);
  },
);

/** Exits once the output is flushed, even if the agent module left a timer or a socket open. */
function exit(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2_000).unref();
}
