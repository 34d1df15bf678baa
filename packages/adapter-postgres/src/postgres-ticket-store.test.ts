import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { inspect } from 'node:util';
import { ConfigurationError, StoreError } from '@ticketflow/core';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresTicketStore } from './postgres-ticket-store.js';
import { toPostgresStoreError } from './to-postgres-store-error.js';

// These tests need no PostgreSQL server: they run against closed ports and fake servers.
const PASSWORD = 'SuperSecret123';
const servers: { server: Server; sockets: Set<Socket> }[] = [];
const stores: PostgresTicketStore[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const { server, sockets } of servers.splice(0)) {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A loopback TCP server; `onData` decides what (if anything) to answer. */
async function loopbackServer(onData: (socket: Socket, data: Buffer) => void = () => {}): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (data) => onData(socket, data));
    socket.on('error', () => {});
  });
  servers.push({ server, sockets });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function open(options: ConstructorParameters<typeof PostgresTicketStore>[0]): PostgresTicketStore {
  const store = new PostgresTicketStore(options);
  stores.push(store);
  return store;
}

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(StoreError.isInstance(error), `expected a StoreError, got ${String(error)}`).toBe(true);
  return error as StoreError;
}

function expectNoPassword(error: StoreError): void {
  const views = [
    error.message,
    String(error),
    JSON.stringify(error),
    String(error.cause),
    JSON.stringify(error.cause),
    (error.cause as Error | undefined)?.stack ?? '',
    error.stack ?? '',
    inspect(error, { depth: 10, showHidden: true }),
  ];
  for (const view of views) expect(view).not.toContain(PASSWORD);
}

describe('PostgresTicketStore without a server', () => {
  it('fails fast as unavailable on a refused port, and never shows the password', async () => {
    const store = open({ connectionString: `postgres://postgres:${PASSWORD}@127.0.0.1:1/test` });
    const started = Date.now();
    const error = await failure(store.load('T-1'));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error.kind).toBe('unavailable');
    expect(error.retryable).toBe(true);
    expect(error.adapter).toBe('postgres');
    expect(error.message).toMatch(/^\[postgres\] load failed: .*ECONNREFUSED/);
    expect(error.cause).toBeDefined();
    expectNoPassword(error);
  });

  it('fails as unavailable within the connect timeout when a server accepts and never answers', { timeout: 20_000 }, async () => {
    const port = await loopbackServer();
    const store = open({ connectionString: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/test` });
    const started = Date.now();
    const error = await failure(store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: {} as never, events: [] }));
    const elapsed = Date.now() - started;
    expect(error.kind).toBe('unavailable');
    expect(elapsed).toBeGreaterThanOrEqual(2_500);
    expect(elapsed).toBeLessThan(12_000);
    expectNoPassword(error);
  });

  it('fails as unavailable within queryTimeoutMs when a server completes the handshake, then goes silent', async () => {
    const port = await loopbackServer((socket, data) => {
      // Answer the startup message (it starts with its length, then protocol 3.0) with
      // AuthenticationOk and ReadyForQuery; ignore every query after it.
      if (data.readInt32BE(4) === 196_608) {
        socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0, 0x5a, 0, 0, 0, 5, 0x49]));
      }
    });
    const store = open({ connectionString: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/test`, queryTimeoutMs: 800 });
    const started = Date.now();
    const error = await failure(store.load('T-1'));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain('timeout');
    expect(Date.now() - started).toBeLessThan(3_000);
    expectNoPassword(error);
  });

  it('refuses a malformed connection string at construction (a ConfigurationError, never an outage), keeping its password out', () => {
    for (const connectionString of [
      `postgres://postgres:${PASSWORD}@[not-a-host/test`,
      'not a url at all',
      `http://postgres:${PASSWORD}@127.0.0.1/test`,
      'host=127.0.0.1 port=5432 dbname=test',
      ' postgres://u@localhost/db',
    ]) {
      let thrown: unknown;
      try {
        open({ connectionString });
      } catch (error) {
        thrown = error;
      }
      expect(ConfigurationError.isInstance(thrown), connectionString.replace(PASSWORD, '…')).toBe(true);
      expect((thrown as ConfigurationError).issues).toEqual([expect.stringMatching(/^connectionString: must be a URL such as postgres:\/\//)]);
      expect(`${String(thrown)} ${inspect(thrown, { depth: 5 })} ${JSON.stringify((thrown as ConfigurationError).issues)}`).not.toContain(PASSWORD);
    }
    for (const connectionString of [
      'postgresql://u@localhost/db',
      `postgres://app:${PASSWORD}@/tickets?host=/var/run/postgresql`,
      'postgres:///tickets?host=/var/run/postgresql',
      'postgres://u@[::1]:5432/db?sslmode=require',
      'POSTGRES://u@localhost/db',
      '/var/run/postgresql',
      'socket:/var/run/postgresql?db=test',
    ])
      expect(() => new PostgresTicketStore({ connectionString }).close()).not.toThrow();
  });

  it('a closed store fails as unavailable; close twice is fine', async () => {
    const store = open({ connectionString: 'postgres://postgres@127.0.0.1:1/test' });
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
    expect((await failure(store.load('T-1'))).kind).toBe('unavailable');
    expect((await failure(store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: {} as never, events: [] }))).kind).toBe('unavailable');
  });

  it('refuses bad arguments as invalid before touching the network', async () => {
    let queries = 0;
    const store = open({ pool: { query: async () => ((queries += 1), { rows: [] }) } });
    for (const ticketId of ['', 'nul-\u0000', 'lone-\uD800']) {
      expect((await failure(store.load(ticketId))).kind).toBe('invalid');
    }
    expect((await failure(store.events('T-1', { limit: 0 }))).kind).toBe('invalid');
    expect((await failure(store.commit({ ticketId: 'T-1', expectedVersion: 0, ticket: {} as never, events: [] }))).kind).toBe('invalid');
    expect((await failure(store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: { n: 1n } as never, events: [] }))).kind).toBe('invalid');
    expect(queries).toBe(0);
  });

  it('throws a ConfigurationError for unusable options', () => {
    const bad = [
      {},
      { connectionString: '' },
      { connectionString: 'postgres://x', pool: { query: async () => ({ rows: [] }) } },
      { pool: {} },
      { pool: { query: async () => ({ rows: [] }) }, connectTimeoutMs: 100 },
      { connectionString: 'postgres://x', schema: '' },
      { connectionString: 'postgres://x', schema: 'x'.repeat(64) },
      { connectionString: 'postgres://x', namespace: 'a\u0000b' },
      { connectionString: 'postgres://x', queryTimeoutMs: 0 },
    ];
    for (const options of bad) {
      expect(() => new PostgresTicketStore(options as never), JSON.stringify(options)).toThrow(ConfigurationError);
    }
  });

  it('refuses a namespace longer than 256 characters (PostgreSQL could not index it), like every store with a bound', () => {
    let caught: unknown;
    try {
      new PostgresTicketStore({ connectionString: 'postgres://x', namespace: 'n'.repeat(257) });
    } catch (error) {
      caught = error;
    }
    expect(ConfigurationError.isInstance(caught)).toBe(true);
    expect((caught as ConfigurationError).issues).toEqual(['namespace: namespace must be a string of at most 256 characters']);
    expect(() => open({ connectionString: 'postgres://x', namespace: '\u20ac'.repeat(256) })).not.toThrow();
  });

  it('refuses options it cannot honour (ttlMs) and misspelt ones, listing every problem at once', () => {
    let caught: unknown;
    try {
      new PostgresTicketStore({ connectionString: 'postgres://x', ttlMs: 1_000, queryTimeoutMS: 5, namespase: 'a' } as never);
    } catch (error) {
      caught = error;
    }
    expect(ConfigurationError.isInstance(caught)).toBe(true);
    expect((caught as ConfigurationError).issues).toEqual([
      'PostgresTicketStore does not support option "ttlMs": PostgreSQL cannot expire rows by itself; retention is store.purge({ before }) (agent.purge({ olderThanMs }) on a schedule)',
      'unknown option "queryTimeoutMS" — did you mean "queryTimeoutMs"?',
      'unknown option "namespase" — did you mean "namespace"?',
    ]);
  });
});

describe('toPostgresStoreError', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['serialisation failure', { code: '40001', message: 'could not serialize access' }, 'conflict'],
    ['deadlock', { code: '40P01', message: 'deadlock detected' }, 'conflict'],
    ['too many clients', { code: '53300', message: 'sorry, too many clients already' }, 'unavailable'],
    ['admin shutdown', { code: '57P01', message: 'terminating connection due to administrator command' }, 'unavailable'],
    ['statement timeout', { code: '57014', message: 'canceling statement due to statement timeout' }, 'unavailable'],
    ['connection failure', { code: '08006', message: 'connection failure' }, 'unavailable'],
    ['disk I/O', { code: '58030', message: 'could not write' }, 'unavailable'],
    ['connection reset', { code: 'ECONNRESET', message: 'read ECONNRESET' }, 'unavailable'],
    ['pg read timeout', { message: 'Query read timeout' }, 'unavailable'],
    ['pg connection terminated', { message: 'Connection terminated unexpectedly' }, 'unavailable'],
    ['NUL in jsonb', { code: '22P05', message: 'unsupported Unicode escape sequence' }, 'invalid'],
    ['invalid json', { code: '22P02', message: 'invalid input syntax for type json' }, 'invalid'],
    ['over-size', { code: '54000', message: 'total size of jsonb object elements exceeds the maximum' }, 'invalid'],
    ['broken constraint', { code: '23505', message: 'duplicate key value' }, 'corrupt'],
    ['data corrupted', { code: 'XX001', message: 'invalid page in block' }, 'corrupt'],
  ];
  for (const [name, fields, kind] of cases) {
    it(`maps ${name} to ${kind}`, () => {
      const error = toPostgresStoreError(Object.assign(new Error(String(fields.message)), fields), 'commit', []);
      expect(error.kind).toBe(kind);
      expect(error.retryable).toBe(kind === 'unavailable' || kind === 'conflict');
    });
  }

  it('maps an authentication failure to unavailable, not retryable', () => {
    const error = toPostgresStoreError(Object.assign(new Error('password authentication failed'), { code: '28P01' }), 'load', []);
    expect(error).toMatchObject({ kind: 'unavailable', retryable: false });
  });

  it('replaces a cause that carries the password with a redacted copy', () => {
    const driver = Object.assign(new TypeError(`Invalid URL: postgres://u:${PASSWORD}@h/db`), {
      code: 'ERR_INVALID_URL',
      input: `postgres://u:${PASSWORD}@h/db`,
    });
    const error = toPostgresStoreError(driver, 'load', [PASSWORD]);
    expectNoPassword(error);
    expect((error.cause as { code?: string }).code).toBe('ERR_INVALID_URL');
    expect((error.cause as Error).name).toBe('TypeError');
  });

  it('says whether a failed write may have been applied (outcome)', () => {
    const error = (fields: Record<string, unknown>) => Object.assign(new Error(String(fields.message ?? 'x')), fields);
    const outcome = (fields: Record<string, unknown>, operation: 'commit' | 'load', phase: 'connect' | 'query' | 'unknown') =>
      toPostgresStoreError(error(fields), operation, [], phase).outcome;
    expect(outcome({ message: 'Query read timeout' }, 'commit', 'query')).toBe('unknown');
    expect(outcome({ message: 'Connection terminated unexpectedly' }, 'commit', 'query')).toBe('unknown');
    expect(outcome({ code: '57P01', message: 'terminating connection due to administrator command' }, 'commit', 'query')).toBe('unknown');
    expect(outcome({ code: '40001' }, 'commit', 'query')).toBe('not_applied');
    expect(outcome({ code: '57014', message: 'canceling statement due to statement timeout' }, 'commit', 'query')).toBe('not_applied');
    expect(outcome({ code: 'ECONNRESET' }, 'commit', 'connect')).toBe('not_applied');
    expect(outcome({ code: 'ECONNREFUSED' }, 'commit', 'unknown')).toBe('not_applied');
    expect(outcome({ message: 'timeout exceeded when trying to connect' }, 'commit', 'unknown')).toBe('not_applied');
    expect(outcome({ code: 'ECONNRESET' }, 'commit', 'unknown')).toBe('unknown');
    expect(outcome({ message: 'Query read timeout' }, 'load', 'query')).toBe('not_applied');
  });

  it("keeps the diagnostics of a cause (the kit's sanitizeError rebuilds it: message, name, code)", () => {
    const driver = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', port: 1 });
    const cause = toPostgresStoreError(driver, 'load', [PASSWORD]).cause as Error & { code?: string; port?: number };
    expect([cause.message, cause.name, cause.code, cause.port]).toEqual(['connect ECONNREFUSED 127.0.0.1:1', 'Error', 'ECONNREFUSED', 1]);
  });
});
