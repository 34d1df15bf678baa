import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { SqliteTicketStore } from '@ticketflow/adapter-sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelecomBackend } from '../src/backend/telecom-backend.js';
import { successorOf } from '../src/server/register-route.js';
import { operatorHeaders, request, startTestServer, type TestServer } from './support/test-server.js';

/**
 * The edges of the published contract an HTTP fuzzer found: what standard clients send
 * (dot segments, empty JSON bodies, absolute-form targets) and what the document promises
 * (409 `ticket_erased`, integer ranges, notes counted as JSON Schema counts).
 */

/** A request exactly as given: no dot-segment removal, no body re-encoding (fetch does both). */
function raw(server: TestServer, options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string }) {
  const { hostname, port } = new URL(server.url);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: any }>((resolve, reject) => {
    const sent = httpRequest({ host: hostname, port, method: options.method, path: options.path, headers: options.headers ?? {} }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) });
      });
    });
    sent.on('error', reject);
    sent.end(options.body);
  });
}

describe('HTTP contract edges', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ store: new SqliteTicketStore({ filename: ':memory:' }) });
  });
  afterAll(async () => server.close());

  it('refuses the ticket ids . and .. (clients drop them from paths as dot segments), in the document too', async () => {
    for (const id of ['.', '..']) {
      const answer = await raw(server, {
        method: 'POST',
        path: `/v1/tickets/${id}/messages`,
        headers: { 'content-type': 'application/json' },
        body: '{"message":"hi"}',
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
    }
    expect((await request(`${server.url}/v1/tickets/.a./messages`, { body: { message: 'hi' } })).status).toBe(200);
    const document = (await request(`${server.url}/openapi.json`)).body;
    const pattern = new RegExp(document.paths['/v1/tickets/{id}/messages'].post.parameters.find((parameter: any) => parameter.name === 'id').schema.pattern);
    expect(['.', '..', '.a.', 'T-1'].map((id) => pattern.test(id))).toEqual([false, false, true, true]);
  });

  it('takes an empty JSON body on approve/reject/release as no body, and refuses a JSON null and malformed UTF-8', async () => {
    await request(`${server.url}/v1/tickets/T-empty/messages`, { body: { message: 'hello' } });
    const empty = await raw(server, {
      method: 'POST',
      path: '/v1/tickets/T-empty/reject',
      headers: { ...operatorHeaders(), 'content-type': 'application/json', 'content-length': '0' },
    });
    expect([empty.status, empty.body.error.code]).toEqual([409, 'ticket_state']);
    const nullBody = await request(`${server.url}/v1/tickets/T-empty/reject`, { body: 'null', headers: operatorHeaders() });
    expect([nullBody.status, nullBody.body.error.code]).toEqual([400, 'invalid_request']);
    const emptyMessage = await raw(server, {
      method: 'POST',
      path: '/v1/tickets/T-empty/messages',
      headers: { 'content-type': 'application/json', 'content-length': '0' },
    });
    expect([emptyMessage.status, emptyMessage.body.error.code]).toEqual([400, 'invalid_json']);
    const before = (await request(`${server.url}/v1/tickets/T-empty`)).body.ticket;
    const badUtf8 = Buffer.concat([Buffer.from('{"message":"a'), Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    const mangled = await raw(server, { method: 'POST', path: '/v1/tickets/T-empty/messages', headers: { 'content-type': 'application/json' }, body: badUtf8 });
    expect([mangled.status, mangled.body.error.code]).toEqual([400, 'invalid_json']);
    expect((await request(`${server.url}/v1/tickets/T-empty`)).body.ticket).toEqual(before);
  });

  it('refuses a body with the same key twice in one object (parsers disagree on which wins), and changes nothing', async () => {
    await request(`${server.url}/v1/tickets/T-dup/messages`, { body: { message: 'hello', messageId: 'm-dup-1' } });
    const before = (await request(`${server.url}/v1/tickets/T-dup`)).body.ticket;
    for (const body of [
      '{"message":"my internet is down","message":"cancel my plan","messageId":"m-dup-2"}',
      '{"message":"my internet is down","messageId":"m-dup-3","\\u006dessageId":"m-dup-4"}',
    ]) {
      const answer = await raw(server, { method: 'POST', path: '/v1/tickets/T-dup/messages', headers: { 'content-type': 'application/json' }, body });
      expect([answer.status, answer.body.error.code]).toEqual([400, 'invalid_json']);
      expect(answer.body.error.message).toMatch(/appears twice/);
    }
    const approval = await raw(server, {
      method: 'POST',
      path: '/v1/tickets/T-dup/reject',
      headers: { ...operatorHeaders(), 'content-type': 'application/json' },
      body: '{"note":"a","note":"b"}',
    });
    expect([approval.status, approval.body.error.code]).toEqual([400, 'invalid_json']);
    expect((await request(`${server.url}/v1/tickets/T-dup`)).body.ticket).toEqual(before);
  });

  it('counts a note as the document does (code points): 4,000 emoji pass the route and the agent', async () => {
    await request(`${server.url}/v1/tickets/T-note/messages`, { body: { message: 'hello' } });
    const note = '😀'.repeat(4_000);
    const fits = await request(`${server.url}/v1/tickets/T-note/approve`, { body: { note }, headers: operatorHeaders() });
    expect([fits.status, fits.body.error.code]).toEqual([409, 'ticket_state']); // past both checks: only the state refuses it
    const over = await request(`${server.url}/v1/tickets/T-note/approve`, { body: { note: `${note}x` }, headers: operatorHeaders() });
    expect([over.status, over.body.error.code]).toEqual([400, 'invalid_request']);
  });

  it('publishes after and limit as integers with their ranges', async () => {
    const document = (await request(`${server.url}/openapi.json`)).body;
    const parameters = document.paths['/v1/tickets/{id}/events'].get.parameters.filter((parameter: any) => parameter.in === 'query');
    expect(
      Object.fromEntries(parameters.map((parameter: any) => [parameter.name, [parameter.schema.type, parameter.schema.minimum, parameter.schema.maximum]])),
    ).toEqual({
      after: ['integer', 0, Number.MAX_SAFE_INTEGER],
      limit: ['integer', 1, 1_000],
    });
    const list = document.paths['/v1/tickets'].get.parameters.find((parameter: any) => parameter.name === 'limit');
    expect(list.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 1_000 });
  });

  it('names the /v1 successor of an alias as a valid URI, for absolute-form targets and odd characters too', async () => {
    expect(successorOf('/tickets/T-1/events?limit=2')).toBe('/v1/tickets/T-1/events?limit=2');
    expect(successorOf('http://127.0.0.1:80/tickets/T-1?a=1')).toBe('/v1/tickets/T-1?a=1');
    expect(successorOf('/tickets/T-1/events?q="<x>"')).toBe('/v1/tickets/T-1/events?q=%22%3Cx%3E%22');
    expect(successorOf('/tickets/é')).toBe('/v1/tickets/%C3%A9');
    const { hostname, port } = new URL(server.url);
    const absolute = await raw(server, { method: 'GET', path: `http://${hostname}:${port}/tickets/T-note` });
    expect(absolute.status).toBe(200);
    expect(absolute.headers.link).toBe('</v1/tickets/T-note>; rel="successor-version"');
  });
});

describe('HTTP: a ticket erased while its message is in flight', () => {
  it('answers the message 409 ticket_erased (the erasure undid the workflow it started), never a 200 about a ticket that is gone', async () => {
    const backend = new TelecomBackend({ latencyMs: 150 });
    const server = await startTestServer({ store: new SqliteTicketStore({ filename: ':memory:' }), agent: { backend } });
    try {
      const asked = await request(`${server.url}/v1/tickets/T-gone/messages`, { body: { message: 'My fiber internet is down', messageId: 'm-1' } });
      expect(asked.body.action.type).toBe('ask');
      const inFlight = request(`${server.url}/v1/tickets/T-gone/messages`, { body: { message: 'Berlin', messageId: 'm-2' } });
      await new Promise((resolve) => setTimeout(resolve, 60));
      const erased = await request(`${server.url}/v1/tickets/T-gone`, { method: 'DELETE', headers: operatorHeaders() });
      expect(erased.status).toBe(204);
      const answer = await inFlight;
      expect([answer.status, answer.body.error?.code]).toEqual([409, 'ticket_erased']);
      expect((await request(`${server.url}/v1/tickets/T-gone`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

/** Sends `text` over a fresh TCP connection and reads the whole answer (the server closes it). */
function exchange(server: TestServer, text: string): Promise<{ status: number; headers: Record<string, string>; body: any }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = received.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body: body === '' ? undefined : JSON.parse(body) });
    });
    socket.write(text);
  });
}

describe('HTTP answers made below the router', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ store: new SqliteTicketStore({ filename: ':memory:' }) });
  });
  afterAll(async () => server.close());

  const expectEnvelope = (answer: { headers: Record<string, string>; body: any }, code: string) => {
    expect(answer.body).toMatchObject({ error: { code, message: expect.any(String) } });
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  };

  it('answers an Expect header it cannot meet 417 with the envelope, and processes nothing', async () => {
    const body = JSON.stringify({ message: 'my internet is down', messageId: 'm-expect' });
    const answer = await exchange(
      server,
      `POST /v1/tickets/EXPECT-1/messages HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(answer.status).toBe(417);
    expectEnvelope(answer, 'expectation_failed');
    expect((await request(`${server.url}/v1/tickets/EXPECT-1`)).status).toBe(404);
  });

  it('answers CONNECT 405 with the envelope (no proxy here) instead of closing without a word', async () => {
    const answer = await exchange(server, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(answer.status).toBe(405);
    expectEnvelope(answer, 'method_not_allowed');
  });

  it("gives the parser's own refusals (malformed HTTP 400, headers over 16 KiB 431) an X-Request-Id too", async () => {
    const malformed = await exchange(server, 'FOO /v1/tickets HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(malformed.status).toBe(400);
    expectEnvelope(malformed, 'bad_request');
    const huge = await exchange(server, `GET /v1/tickets HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(huge.status).toBe(431);
    expectEnvelope(huge, 'headers_too_large');
  });

  it('answers QUERY without Content-Type like any method a path does not take: 405 with Allow, or 404', async () => {
    const known = await exchange(server, 'QUERY /v1/tickets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(known.status).toBe(405);
    expectEnvelope(known, 'method_not_allowed');
    expect(known.headers.allow).toBe('GET, HEAD');
    const unknown = await exchange(server, 'QUERY /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(unknown.status).toBe(404);
    expectEnvelope(unknown, 'not_found');
  });

  it('says why a 414 is a 414: a path segment over 8,192 characters', async () => {
    const answer = await exchange(server, `GET /v1/tickets/${'a'.repeat(9_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(answer.status).toBe(414);
    expectEnvelope(answer, 'bad_request');
    expect(answer.body.error.message).toMatch(/8,192/);
  });
});
