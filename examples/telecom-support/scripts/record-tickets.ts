// Records telecom conversations as replay fixtures (test/recorded/*.json): each file holds a
// ticket's stored document and its event log, exactly as a store gives them back. Run it
// again only when a conversation *should* change, and review the diff like code:
//   npx tsx scripts/record-tickets.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { MemoryTicketStore } from '@ticketflow/core';
import { TelecomBackend } from '../src/backend/telecom-backend.js';
import { createTelecomAgent } from '../src/create-telecom-agent.js';

/** Conversations that cover asks, inference, corrections, a failing step, an approval and a rejection. */
const CONVERSATIONS: Record<string, (string | { approve: string } | { reject: string } | { fault: string })[]> = {
  'REC-FIBER': ['Hi, my fiber internet has been down since this morning', "I'm in Hamburg", "Thanks! Even when it works it's really slow in the evenings"],
  'REC-DSL': ['My DSL line is dead, no internet at all. My landline is 030 5550123', "Sorry, wrong line, that's my office. Home is 0341 5550188"],
  'REC-PLAN': ["I'd like to upgrade to the Unlimited plan, it's a personal account", { fault: 'send_notification' }, 'yes please', 'yes, try again'],
  'REC-CREDIT': ['I was charged twice this month and want a refund of 80 euros, business account', 'yes', { approve: 'supervisor-7' }],
  'REC-REJECT': ['refund 120 euros please, personal account', 'yes', { reject: 'supervisor-7' }],
};

const store = new MemoryTicketStore();
const backend = new TelecomBackend({ latencyMs: 0 });
const { agent } = createTelecomAgent({ store, backend, instanceId: 'recorder' });
const directory = new URL('../test/recorded/', import.meta.url);
mkdirSync(directory, { recursive: true });
for (const [ticketId, steps] of Object.entries(CONVERSATIONS)) {
  for (const [index, step] of steps.entries()) {
    if (typeof step === 'string') await agent.handle({ ticketId, message: step, messageId: `${ticketId}-m${index + 1}` });
    else if ('fault' in step) backend.setFault(step.fault, 'fail');
    else if ('approve' in step) await agent.approve(ticketId, { by: step.approve });
    else await agent.reject(ticketId, { by: step.reject, note: 'over the limit' });
    if (typeof step === 'string' && index > 0 && typeof steps[index - 1] === 'object' && 'fault' in (steps[index - 1] as object)) backend.clearFaults();
  }
  const loaded = await store.load(ticketId);
  const events = await store.events(ticketId);
  writeFileSync(new URL(`${ticketId}.json`, directory), `${JSON.stringify({ ticketId, version: loaded?.version, ticket: loaded?.ticket, events }, null, 2)}\n`);
  console.log(`recorded ${ticketId}: ${events.length} events`);
}
