/**
 * Records the examples of the OpenAPI document from a real conversation: builds the
 * server in-process (memory store, offline LLM, a fixed clock), drives a conversation, the
 * operator routes and the failure cases through `app.inject`, and writes every answer to
 * `openapi-examples.ts`. Run it after a change to the API or the agent:
 *
 *   npx tsx src/server/record-openapi-examples.ts
 *
 * The contract tests check every recorded example against the document's schemas.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MemoryTicketStore, StoreError, type TicketStore } from '@ticketflow/core';
import { TelecomBackend } from '../backend/telecom-backend.js';
import { createTelecomAgent } from '../create-telecom-agent.js';
import { buildServer } from './build-server.js';
import type { RecordedExamples } from './openapi-decorations.js';

const OPERATOR = { name: 'supervisor-7', token: 'example-operator-token-0123456789' };
const auth = { authorization: `Bearer ${OPERATOR.token}` };

async function record(): Promise<RecordedExamples> {
  const examples: RecordedExamples = { responses: {}, requests: {} };
  const keep = (operationId: string, status: number, name: string, summary: string, value: unknown) => {
    ((examples.responses[operationId] ??= {})[String(status)] ??= {})[name] = { summary, value };
  };
  const keepRequest = (operationId: string, name: string, summary: string, value: unknown) =>
    ((examples.requests[operationId] ??= {})[name] = { summary, value });

  let clock = Date.UTC(2025, 5, 1, 9, 0, 0);
  const store = new MemoryTicketStore();
  const { agent } = createTelecomAgent({ store, backend: new TelecomBackend({ latencyMs: 0 }), now: () => (clock += 1_000), instanceId: 'worker-1' });
  const app = await buildServer({ agent, store, logger: false, operators: [OPERATOR] });
  const call = async (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    options: { body?: unknown; headers?: Record<string, string>; raw?: string; contentType?: string } = {},
  ) => {
    const response = await app.inject({
      method,
      url,
      headers: {
        ...(options.body !== undefined || options.raw !== undefined ? { 'content-type': options.contentType ?? 'application/json' } : {}),
        'x-request-id': 'req-example',
        ...options.headers,
      },
      ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : options.raw !== undefined ? { payload: options.raw } : {}),
    });
    return { status: response.statusCode, body: response.body === '' ? undefined : (JSON.parse(response.body) as unknown) };
  };
  const say = (id: string, message: string, messageId?: string) =>
    call('POST', `/v1/tickets/${id}/messages`, { body: { message, ...(messageId ? { messageId } : {}) } });

  const first = { message: 'My fiber internet is down', messageId: 'm-1' };
  keepRequest('sendMessage', 'first', 'The first message of a ticket', first);
  keepRequest('sendMessage', 'answer', 'The answer to the question asked', { message: 'Berlin', messageId: 'm-2' });
  const asked = await say('T-1001', first.message, first.messageId);
  keep('sendMessage', 200, 'ask', 'One question for the one missing slot', asked.body);
  keep('sendMessage', 200, 'execute', 'The last slot arrives: the workflow runs', (await say('T-1001', 'Berlin', 'm-2')).body);
  keep('sendMessage', 200, 'duplicate', 'A resent messageId: the recorded result', (await say('T-1001', 'Berlin', 'm-2')).body);
  keep('getTicket', 200, 'resolved', 'A resolved ticket', (await call('GET', '/v1/tickets/T-1001')).body);
  keep('listTicketEvents', 200, 'first', 'The first events of a ticket', (await call('GET', '/v1/tickets/T-1001/events?limit=4')).body);

  await say('T-1002', 'I was overcharged 80 euros, business account');
  keep('sendMessage', 200, 'awaitingApproval', 'A credit above 50 € waits for a supervisor', (await say('T-1002', 'yes')).body);
  keep('listTickets', 200, 'approvalQueue', 'The approval queue', (await call('GET', '/v1/tickets?status=awaiting_approval', { headers: auth })).body);
  keep(
    'approveTicket',
    401,
    'noToken',
    'No operator token',
    (await call('POST', '/v1/tickets/T-1002/approve', { body: { note: 'I approve my own credit' } })).body,
  );
  keepRequest('approveTicket', 'note', 'Approve with a note (who approves is the token)', { note: 'double charge confirmed on the invoice' });
  keep(
    'approveTicket',
    200,
    'approved',
    'The credit is approved and runs',
    (await call('POST', '/v1/tickets/T-1002/approve', { body: { note: 'double charge confirmed on the invoice' }, headers: auth })).body,
  );
  keep(
    'approveTicket',
    409,
    'notWaiting',
    'Nothing waits for an approval',
    (await call('POST', '/v1/tickets/T-1002/approve', { body: {}, headers: auth })).body,
  );

  await say('T-1003', 'Please refund 120 euros, I was charged twice. Personal account');
  await say('T-1003', 'yes');
  keep(
    'rejectTicket',
    200,
    'rejected',
    'The credit is refused: compensated and closed',
    (await call('POST', '/v1/tickets/T-1003/reject', { body: { note: 'not eligible' }, headers: auth })).body,
  );

  keep('sendMessage', 400, 'emptyMessage', 'A message that breaks the schema', (await say('T-1004', '')).body);
  keep(
    'sendMessage',
    413,
    'tooLarge',
    'A body over 64 KiB',
    (await call('POST', '/v1/tickets/T-1004/messages', { raw: JSON.stringify({ message: 'x'.repeat(70_000) }) })).body,
  );
  keep(
    'sendMessage',
    415,
    'notJson',
    'A body that is not JSON',
    (await call('POST', '/v1/tickets/T-1004/messages', { raw: 'hello', contentType: 'text/plain' })).body,
  );
  keep('getTicket', 404, 'unknown', 'No such ticket', (await call('GET', '/v1/tickets/T-unknown')).body);
  await app.close();

  const down: TicketStore = Object.assign(new MemoryTicketStore(), {
    load: async () => {
      throw new StoreError({ kind: 'unavailable', adapter: 'postgres', message: 'the server did not answer within 5000 ms', outcome: 'unknown' });
    },
  });
  const { agent: stranded } = createTelecomAgent({ store: down });
  const downApp = await buildServer({ agent: stranded, store: down, logger: false });
  const unavailable = await downApp.inject({
    method: 'POST',
    url: '/v1/tickets/T-1001/messages',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(first),
  });
  keep('sendMessage', 503, 'storeUnavailable', 'The store did not answer: retry with the same messageId', JSON.parse(unavailable.body));
  await downApp.close();
  return examples;
}

const examples = await record();
const target = fileURLToPath(new URL('./openapi-examples.ts', import.meta.url));
writeFileSync(
  target,
  `import type { RecordedExamples } from './openapi-decorations.js';\n\n` +
    `/** Examples recorded from a real conversation by record-openapi-examples.ts (do not edit by hand). */\n` +
    `export const RECORDED_EXAMPLES: RecordedExamples = ${JSON.stringify(examples, null, 2)};\n`,
);
process.stdout.write(`wrote ${target}\n`);
