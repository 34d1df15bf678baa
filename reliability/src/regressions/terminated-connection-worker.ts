/**
 * Test helper process of the terminated-connection regression: runs turns on PostgreSQL while
 * its parent terminates every backend of this process's `application_name` again and again,
 * then reports how the turns ended. A crash (an unhandled 'error' of a connection) exits
 * non-zero instead. Usage: terminated-connection-worker.ts <connection string> <namespace>
 */
import { createStore, createTelecomAgent, TelecomBackend } from '@ticketflow/example-telecom-support';

const [connectionString, namespace] = process.argv.slice(2);
const store = createStore({ kind: 'postgres', connectionString: connectionString! }, namespace!);
const { agent } = createTelecomAgent({
  store,
  backend: new TelecomBackend({ latencyMs: [2, 12] }),
  leaseMs: 2_000,
  toolTimeoutMs: 250,
  toolRetry: { minDelayMs: 5, maxDelayMs: 40 },
});
const messages = ['Upgrade me to the Plus plan, personal account', 'yes', 'thanks', 'My fiber internet is down since this morning', "I'm in Berlin"];
const outcome = { resolved: 0, rejected: 0, errors: [] as string[] };
for (let index = 0; index < 40; index += 1) {
  try {
    await agent.handle({ ticketId: `C-${index % 4}`, message: messages[index % messages.length]!, messageId: `m${index}` });
    outcome.resolved += 1;
  } catch (error) {
    outcome.rejected += 1;
    outcome.errors.push((error as Error).name);
  }
}
for (let index = 0; index < 4; index += 1) await store.delete(`C-${index}`).catch(() => undefined);
await store.close();
process.send!(outcome);
process.disconnect();
