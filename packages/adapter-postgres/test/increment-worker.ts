// A child process for the multi-process test: increments a counter on one ticket `count`
// times by compare-and-set, retrying on conflict. Run with `node --import tsx`.
import { PostgresTicketStore } from '../src/index.js';

const [connectionString, schema, namespace, ticketId, worker, countText, startAtText] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const store = new PostgresTicketStore({ connectionString, schema, namespace, maxConnections: 2 });
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAtText) - Date.now())));

let done = 0;
let conflicts = 0;
while (done < Number(countText)) {
  const loaded = await store.load(ticketId);
  if (loaded === null) {
    await store.commit({ ticketId, expectedVersion: null, ticket: { count: 0 } as never, events: [] });
    continue;
  }
  const count = (loaded.ticket as unknown as { count: number }).count + 1;
  const result = await store.commit({
    ticketId,
    expectedVersion: loaded.version,
    ticket: { count } as never,
    events: [{ type: 'counter.incremented', at: new Date().toISOString(), data: { worker, count } }],
  });
  if (result.ok) done += 1;
  else conflicts += 1;
}
await store.close();
process.stdout.write(JSON.stringify({ worker, conflicts }));
