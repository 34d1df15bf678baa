import { fileURLToPath } from 'node:url';
import { runPartOne, runPartTwo } from '../demo/demo-script.js';
import { runDemo } from '../demo/run-demo.js';
import { runInteractiveChat } from '../demo/interactive-chat.js';

/**
 * `npm run demo`: the scripted multi-ticket conversation.
 * `npm run demo -- --interactive`: a terminal chat with the same agent.
 * (`--part=1|2 --db=<file>` are the demo's own child processes.)
 */
const args = process.argv.slice(2);
const option = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const script = fileURLToPath(import.meta.url);
// src/cli/demo.ts and dist/cli/demo.js are both two levels below the package root.
const dataDirectory = fileURLToPath(new URL('../../data', import.meta.url));

async function main(): Promise<number> {
  if (args.includes('--interactive') || args.includes('-i')) return runInteractiveChat({ dataDirectory });
  const part = option('part');
  const db = option('db');
  if (part === '1' && db) {
    await runPartOne(db);
    return 0;
  }
  if (part === '2' && db) {
    await runPartTwo(db);
    return 0;
  }
  return runDemo({ script, dataDirectory });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
