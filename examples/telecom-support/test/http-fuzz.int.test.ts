import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteTicketStore } from '@ticketflow/adapter-sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestServer, TEST_OPERATOR, type TestServer } from './support/test-server.js';

/** A small deterministic PRNG (mulberry32), so a failing case can be replayed from its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

const SEED = Number(process.env.FUZZ_SEED ?? 20_241_122);
const CASES = 400;
const ALLOWED = new Set([200, 204, 400, 401, 404, 405, 409, 413, 415]);

const ids = [
  'T-1',
  'ok.id:1',
  'a'.repeat(128),
  'a'.repeat(129),
  '',
  '%20',
  'bad id',
  'ü-ticket',
  '😀',
  '..',
  '%2F',
  '%00',
  'x%ZZ',
  '__proto__',
  'constructor',
  'a/b',
  '<script>',
  "' OR 1=1 --",
];
const suffixes = ['', '/messages', '/events', '/approve', '/reject', '/release', '/unknown', '/messages/extra'];
const paths = [
  '/',
  '/healthz',
  '/readyz',
  '/openapi.json',
  '/v1',
  '/v1/tickets',
  '/v1/tickets/T-1/messages',
  '/v1/tickets/T-1/events?limit=5',
  '/tickets?status=needs_human,bogus',
  '/tickets?limit=0',
  '/v1/tickets?cursor=%00',
  '/tickets',
  '/tickets/',
  '/admin',
  '/.env',
  '/%',
  '/tickets/%E0%A4%A/messages',
  '/TICKETS/T-1',
  '//tickets//T-1',
  '/tickets/T-1?after=-1',
  '/tickets/T-1/events?limit=0',
  '/tickets/T-1/events?limit=99999',
  '/tickets/T-1/events?after=1e3',
  '/tickets/T-1/events?after=1&after=2',
  '/tickets/T-1/events?limit=%00',
];
const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];
const authorizations = [
  '',
  '',
  `Bearer ${TEST_OPERATOR.token}`,
  `Bearer ${TEST_OPERATOR.token}`,
  'Bearer wrong-token-0123456789',
  'Basic dXNlcjpwYXNz',
  'Bearer',
  `bearer  ${TEST_OPERATOR.token}`,
  `Bearer ${TEST_OPERATOR.token}x`,
];
const contentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=utf-16',
  '',
  'garbage/\u00ff;;=',
];
const bodies: (() => string)[] = [
  () => JSON.stringify({ message: 'my internet is down' }),
  () => JSON.stringify({ message: 'hello', messageId: 'm-1' }),
  () => JSON.stringify({ message: '' }),
  () => JSON.stringify({ message: '   ' }),
  () => JSON.stringify({ message: 'x'.repeat(4_001) }),
  () => JSON.stringify({ message: '😀'.repeat(4_000) }),
  () => JSON.stringify({ message: 'nul \u0000 byte' }),
  () => '{"message":"lone \\ud800 surrogate"}',
  () => JSON.stringify({ message: 42 }),
  () => JSON.stringify({ message: null }),
  () => JSON.stringify({ message: ['a'] }),
  () => JSON.stringify({ message: 'hi', messageId: 'bad id!' }),
  () => JSON.stringify({ message: 'hi', messageId: 'm'.repeat(129) }),
  () => JSON.stringify({ message: 'hi', extra: true }),
  () => JSON.stringify({ by: 'supervisor' }),
  () => JSON.stringify({ by: '' }),
  () => JSON.stringify({ by: 'x', note: 'n'.repeat(4_001) }),
  () => '{"__proto__":{"polluted":true},"message":"hi"}',
  () => '{"constructor":{"prototype":{"polluted":true}},"message":"hi"}',
  () => '{"message":"hi","__proto__":{"isAdmin":true}}',
  () => '{"message": "unterminated',
  () => '{"message": "hi",}',
  () => 'null',
  () => '[]',
  () => '"just a string"',
  () => '12345',
  () => '',
  () => '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
  () => '['.repeat(50_000) + ']'.repeat(50_000),
  () => JSON.stringify({ message: 'a'.repeat(70_000) }),
  () => 'message=hello&messageId=1',
  () => '\u0000\u0001\u0002binary',
];

describe('HTTP fuzz: malformed requests never get a 5xx, every error is JSON with error.code', () => {
  let server: TestServer;
  const directory = mkdtempSync(join(tmpdir(), 'telecom-fuzz-'));

  beforeAll(async () => {
    server = await startTestServer({ store: new SqliteTicketStore({ filename: join(directory, 'fuzz.db') }) });
  });
  afterAll(async () => {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it(`answers ${CASES} random requests (seed ${SEED}) within the contract`, async () => {
    const rng = random(SEED);
    const cases = Array.from({ length: CASES }, (_value, index) => {
      const method = rng.pick(methods);
      const path = rng.next() < 0.65 ? `/tickets/${rng.pick(ids)}${rng.pick(suffixes)}` : rng.pick(paths);
      const withBody = method !== 'GET' && method !== 'HEAD' && rng.next() < 0.85;
      const contentType = rng.pick(contentTypes);
      const authorization = rng.pick(authorizations);
      return {
        index,
        method,
        path,
        authorization,
        body: withBody ? rng.pick(bodies)() : undefined,
        contentType: withBody ? contentType : rng.next() < 0.2 ? contentType : '',
      };
    });
    // Until the SQLite adapter implements the fleet queries (list), the queue route cannot
    // answer on it; say so loudly instead of counting its 503 as a pass or a failure.
    const listable =
      typeof (server.telecom.agent as unknown as { list?: unknown }).list === 'function' &&
      typeof (SqliteTicketStore.prototype as { list?: unknown }).list === 'function';
    if (!listable) console.warn('⚠ http-fuzz: SqliteTicketStore has no list() yet — requests to the queue route (GET /tickets) are left out of this run');
    const isQueueRoute = (fuzz: { method: string; path: string }) =>
      (fuzz.method === 'GET' || fuzz.method === 'HEAD') && /^\/(v1\/)?tickets\/?(\?|$)/.test(fuzz.path);
    const failures: string[] = [];
    for (let start = 0; start < cases.length; start += 25) {
      await Promise.all(
        cases
          .slice(start, start + 25)
          .filter((fuzz) => listable || !isQueueRoute(fuzz))
          .map(async (fuzz) => {
            const headers: Record<string, string> = {
              ...(fuzz.contentType ? { 'content-type': fuzz.contentType } : {}),
              ...(fuzz.authorization ? { authorization: fuzz.authorization } : {}),
            };
            let response: Response;
            try {
              response = await fetch(`${server.url}${fuzz.path}`, { method: fuzz.method, headers, ...(fuzz.body !== undefined ? { body: fuzz.body } : {}) });
            } catch (error) {
              // The server may close the connection after answering 413 to a body it stopped reading.
              if (fuzz.body !== undefined && fuzz.body.length > 64 * 1024) return;
              failures.push(`#${fuzz.index} ${fuzz.method} ${fuzz.path}: request failed: ${String(error)}`);
              return;
            }
            const text = await response.text();
            const label = `#${fuzz.index} ${fuzz.method} ${fuzz.path} [${fuzz.contentType}] ${String(fuzz.body).slice(0, 60)} → ${response.status}`;
            if (!ALLOWED.has(response.status)) failures.push(`${label}: unexpected status; body ${text.slice(0, 200)}`);
            if (response.status >= 400 && fuzz.method !== 'HEAD') {
              try {
                const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
                if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string')
                  failures.push(`${label}: error body without error.code/message: ${text.slice(0, 200)}`);
              } catch {
                failures.push(`${label}: error body is not JSON: ${text.slice(0, 200)}`);
              }
              if (!(response.headers.get('content-type') ?? '').startsWith('application/json'))
                failures.push(`${label}: content-type ${response.headers.get('content-type')}`);
            }
          }),
      );
    }
    expect(failures).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    // The server still works normally.
    expect((await request(`${server.url}/tickets/after-fuzz/messages`, { body: { message: 'my fiber internet is down' } })).status).toBe(200);
  });

  it('answers the documented status for each malformed class', async () => {
    const post = (path: string, body: string, contentType = 'application/json') =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
    expect((await post('/tickets/T-1/messages', JSON.stringify({ message: 'x'.repeat(70_000) }))).status).toBe(413);
    expect((await post('/tickets/T-1/messages', 'hello', 'text/plain')).status).toBe(415);
    expect((await fetch(`${server.url}/tickets/T-1/messages`, { method: 'POST', body: 'hello' })).status).toBe(415);
    expect((await post('/tickets/T-1/messages', '{"message":')).status).toBe(400);
    expect((await post('/tickets/T-1/messages', '{"__proto__":{"polluted":1},"message":"hi"}')).status).toBe(400);
    expect((await post(`/tickets/${'a'.repeat(129)}/messages`, '{"message":"hi"}')).status).toBe(400);
    expect((await post(`/tickets/${'a'.repeat(128)}/messages`, '{"message":"hi"}')).status).toBe(200);
    expect((await post('/tickets/T-1/messages', JSON.stringify({ message: 'x'.repeat(4_001) }))).status).toBe(400);
    expect((await post('/tickets/T-1/messages', JSON.stringify({ message: 'x'.repeat(4_000) }))).status).toBe(200);
    expect((await post('/tickets/T-1/messages', JSON.stringify({ message: 'hi', messageId: 'bad id' }))).status).toBe(400);
    expect((await post('/tickets/T-1/messages', JSON.stringify({ message: '   ' }))).status).toBe(400);
    expect((await post('/tickets/T-1/messages', '{"message":"\\ud800"}')).status).toBe(400);
    const wrongMethod = await fetch(`${server.url}/tickets/T-1/messages`, { method: 'GET' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect((await fetch(`${server.url}/nowhere`)).status).toBe(404);
  });

  it('answers malformed HTTP with a JSON 400 and no 5xx', async () => {
    const raw = (payload: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
        let received = '';
        socket.on('data', (chunk) => (received += chunk.toString()));
        socket.on('close', () => resolve(received));
        socket.on('error', () => resolve(received));
        socket.write(payload);
        setTimeout(() => socket.end(), 300);
      });
    for (const payload of [
      'GARBAGE\r\n\r\n',
      'GET / HTTP/9.9\r\n\r\n',
      'POST /tickets/T-1/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n\r\n',
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    ]) {
      const response = await raw(payload);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]);
      expect(status, payload.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(status, payload.slice(0, 40)).toBeLessThan(500);
      expect(response).toContain('"error":{"code":');
    }
  });
});
