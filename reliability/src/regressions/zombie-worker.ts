/**
 * Test helper process of the zombie regression: runs one turn whose tool call the parent
 * freezes (SIGSTOP) right after it started. Usage: zombie-worker.ts <tickets db> <effects db>
 */
import { SqliteTicketStore } from '@ticketflow/adapter-sqlite';
import { createZombieAgent } from './zombie-fixture.js';

const [ticketsFile, effectsFile] = process.argv.slice(2);
const store = new SqliteTicketStore({ filename: ticketsFile! });
const zombie = createZombieAgent({
  store,
  effectsFile: effectsFile!,
  instanceId: 'zombie',
  leaseMs: 500,
  toolDelayMs: 100,
  onToolStart: (key) => process.send!({ type: 'started', key }),
});
const result = await zombie.agent.handle({ ticketId: 'Z', message: 'refund me, I live in Berlin', messageId: 'm1' });
process.send!({ type: 'done', action: result.action });
await store.close();
zombie.close();
process.disconnect();
