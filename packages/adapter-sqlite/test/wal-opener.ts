// A child process for the WAL test: opens a series of new files, each at an agreed instant
// shared with the other openers, through the store. Prints the failures as JSON.
import { SqliteTicketStore } from '../src/index.js';

const [prefix, startAtText, roundsText, periodText] = process.argv.slice(2) as [string, string, string, string];
const failures: string[] = [];
for (let round = 0; round < Number(roundsText); round += 1) {
  const at = Number(startAtText) + round * Number(periodText);
  while (Date.now() < at) {
    // spin: the openers must hit the file within the same millisecond
  }
  const store = new SqliteTicketStore({ filename: `${prefix}-${round}.db`, busyTimeoutMs: 5_000 });
  try {
    await store.load('T-open');
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    await store.close().catch(() => undefined);
  }
}
process.stdout.write(JSON.stringify({ failures }));
