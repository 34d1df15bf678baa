import { runHarnessCli } from '../tau2/harness/harness-cli.js';

/**
 * `pnpm --filter @ticketflow/example-telecom-support run eval:tau2 -- --tasks <file> …`: the
 * τ²-bench telecom harness (see `HARNESS_USAGE`, or the README's "τ²-bench telecom" section).
 * Relative paths are the caller's: pnpm runs the script in this package and says where it
 * was called from in INIT_CWD.
 */
runHarnessCli(process.argv.slice(2), { cwd: process.env.INIT_CWD ?? process.cwd(), env: process.env, print: (line) => console.log(line) }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
