import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { createClient } from 'redis';
import { MemoryStoreData, MemoryTicketStore, type TicketStore } from '@ticketflow/core';
import { PostgresTicketStore } from '@ticketflow/adapter-postgres';
import { RedisTicketStore } from '@ticketflow/adapter-redis';
import { SqliteTicketStore } from '@ticketflow/adapter-sqlite';
import { benchPool, countingPool } from '../drivers/counting-postgres.js';
import { countingRedis, type BenchRedisClient } from '../drivers/counting-redis.js';
import { countSqliteCalls } from '../drivers/counting-sqlite.js';
import type { FloorFactory } from '../floors/floor.js';
import { memoryFloor } from '../floors/memory-floor.js';
import { openPostgresFloor } from '../floors/postgres-floor.js';
import { openRedisFloor } from '../floors/redis-floor.js';
import { openSqliteFloor } from '../floors/sqlite-floor.js';
import type { CallCounter } from '../measure/interleave.js';
import { openPeerSaver, type PeerSaver } from '../peer/peer-savers.js';

export type BackendId = 'memory' | 'sqlite' | 'postgres' | 'redis';

/** A store, its floor and LangGraph's checkpointer on one backend. */
export interface Rig {
  store: TicketStore;
  floor: FloorFactory;
  peer: PeerSaver | { missing: string };
}

/** One store under test, with its floor and the peer's checkpointer on the same backend. */
export interface Backend extends Rig {
  id: BackendId;
  label: string;
  /** What the count pass counts: network round trips, or statements of an in-process database. */
  callsLabel: string | null;
  /** Another store instance on the same data and namespace (one per agent in the concurrency scenario). */
  openStore(): TicketStore;
  /** What the floor does, for the report. */
  floorLabel: string;
  /**
   * The same backend through counting drivers, for the count pass: driver calls are counted
   * there, never in a timed variant (a counting wrapper would slow the side that makes more calls).
   */
  counting?: Rig & { counter: CallCounter };
  /** What the gap analysis (`src/gap/`) builds its variants on: the run's pool, client or file. */
  raw: { pool?: pg.Pool; client?: BenchRedisClient; filename?: string; namespace: string };
  /** Removes every key, table and file the backend created, and closes its connections. */
  close(): Promise<void>;
}

export type BackendOutcome = Backend | { id: BackendId; label: string; skipped: string };

export const PG_URL = process.env.TICKETFLOW_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TICKETFLOW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const suffix = () => randomBytes(4).toString('hex');

export const FLOOR_LABELS: Record<BackendId, string> = {
  memory: 'load: `JSON.parse` of the stored text; write: version check, `JSON.stringify` of the document and of each event, `Map.set` (synchronous)',
  sqlite:
    'its own better-sqlite3 connection to the same file (WAL, busy timeout), tables `tickets (id TEXT PRIMARY KEY, version, last_seq, document TEXT)` and `events (ticket_id, seq, event, PRIMARY KEY (ticket_id, seq))`; load: prepared `SELECT` + `JSON.parse`; write: `transaction.immediate()` of `UPDATE … WHERE id = ? AND version = ?` + one prepared `INSERT` per event',
  postgres:
    'the same pg pool, tables `tickets (id text PRIMARY KEY, version, last_seq, document jsonb)` and `events (ticket_id, seq, event jsonb, PRIMARY KEY (ticket_id, seq))`; load: `SELECT document, version … WHERE id = $1`; write: one statement, `UPDATE … WHERE id = $1 AND version = $2` with the events inserted from a multi-row `VALUES` in the same statement (CTE)',
  redis:
    'the same node-redis client, a hash (version, document) and a list per ticket; load: `HMGET` + `JSON.parse`; write: one `EVALSHA` of a 4-line script (compare-and-set, `HSET`, `RPUSH` of the events)',
};

export async function openMemory(): Promise<Backend> {
  const data = new MemoryStoreData();
  return {
    id: 'memory',
    label: 'MemoryTicketStore',
    callsLabel: null,
    store: new MemoryTicketStore({ data }),
    openStore: () => new MemoryTicketStore({ data }),
    floor: memoryFloor(),
    floorLabel: FLOOR_LABELS.memory,
    peer: await openPeerSaver('memory'),
    raw: { namespace: '' },
    close: async () => {},
  };
}

export async function openSqlite(): Promise<BackendOutcome> {
  const label = 'SQLite (temp file, WAL)';
  const directory = mkdtempSync(join(tmpdir(), 'ticketflow-bench-'));
  const closers: (() => unknown)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close();
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    const filename = join(directory, 'tickets.db');
    const namespace = `bench-${suffix()}`;
    // The store opens the file itself (busy timeout, WAL, secure_delete), as an app would.
    const store = new SqliteTicketStore({ filename, namespace });
    closers.push(() => store.close());
    await store.load('schema-warm-up');
    const floor = openSqliteFloor(filename);
    closers.push(floor.close);
    const opened: TicketStore[] = [];
    closers.push(() => Promise.all(opened.map((another) => another.close())));
    const peerFile = join(directory, 'langgraph.db');
    const peer = await openPeerSaver('sqlite', { filename: peerFile });
    if (!('missing' in peer)) closers.push(() => peer.close());

    const counter: CallCounter = { count: 0 };
    const countedDatabase = new Database(filename, { timeout: 5 });
    closers.push(() => countedDatabase.close());
    const countedStore = new SqliteTicketStore({ database: countSqliteCalls(countedDatabase, counter), namespace });
    closers.push(() => countedStore.close());
    const countedFloor = openSqliteFloor(filename, 'floor_', {}, (database) => countSqliteCalls(database, counter));
    closers.push(countedFloor.close);
    const countedPeer = await openPeerSaver('sqlite', { filename: peerFile }, counter);
    if (!('missing' in countedPeer)) closers.push(() => countedPeer.close());
    return {
      id: 'sqlite',
      label,
      callsLabel: 'statements',
      store,
      openStore: () => {
        const another = new SqliteTicketStore({ filename, namespace });
        opened.push(another);
        return another;
      },
      floor: floor.floor,
      floorLabel: FLOOR_LABELS.sqlite,
      peer,
      counting: { counter, store: countedStore, floor: countedFloor.floor, peer: countedPeer },
      raw: { filename, namespace },
      close: closeAll,
    };
  } catch (error) {
    await closeAll().catch(() => {});
    return { id: 'sqlite', label, skipped: `SQLite could not be opened: ${messageOf(error)}` };
  }
}

export async function openPostgres(): Promise<BackendOutcome> {
  const label = 'Postgres (this machine)';
  const pool = benchPool(PG_URL);
  const id = suffix();
  const schema = `tf_bench_${id}`;
  const floorSchema = `tf_floor_${id}`;
  const namespace = `bench-${id}`;
  try {
    await withDeadline(pool.query('SELECT 1'), 5_000, 'no answer within 5 s');
  } catch (error) {
    await pool.end().catch(() => {});
    return { id: 'postgres', label, skipped: `Postgres did not answer at ${redact(PG_URL)}: ${messageOf(error)}` };
  }
  const store = new PostgresTicketStore({ pool, namespace, schema });
  await store.load('schema-warm-up');
  const floor = await openPostgresFloor(pool, floorSchema);
  const peerOptions = { connectionString: PG_URL, schema: `lg_bench_${id}` };
  const peer = await openPeerSaver('postgres', peerOptions);

  const counter: CallCounter = { count: 0 };
  const counted = countingPool(PG_URL, counter);
  const countedFloor = await openPostgresFloor(counted, floorSchema);
  const countedPeer = await openPeerSaver('postgres', peerOptions, counter);
  return {
    id: 'postgres',
    label,
    callsLabel: 'round trips',
    store,
    openStore: () => new PostgresTicketStore({ pool, namespace, schema }),
    floor: floor.floor,
    floorLabel: FLOOR_LABELS.postgres,
    peer,
    counting: { counter, store: new PostgresTicketStore({ pool: counted, namespace, schema }), floor: countedFloor.floor, peer: countedPeer },
    raw: { pool, namespace },
    close: async () => {
      if (!('missing' in countedPeer)) await countedPeer.close();
      if (!('missing' in peer)) await peer.close();
      await counted.end();
      await floor.drop();
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}

export async function openRedis(): Promise<BackendOutcome> {
  const label = 'Redis (this machine)';
  const client = createClient({ url: REDIS_URL, disableOfflineQueue: true, socket: { connectTimeout: 3_000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await withDeadline(client.connect(), 5_000, 'no answer within 5 s');
  } catch (error) {
    if (client.isOpen) client.destroy();
    return { id: 'redis', label, skipped: `Redis did not answer at ${redact(REDIS_URL)}: ${messageOf(error)}` };
  }
  const namespace = `bench-${suffix()}`;
  const raw = client as unknown as BenchRedisClient;
  const store = new RedisTicketStore({ client: raw, namespace });
  await store.load('layout-warm-up');
  const floorPrefix = `tf-floor:${namespace}:`;
  const floor = await openRedisFloor(raw, floorPrefix);
  const counter: CallCounter = { count: 0 };
  const counted = countingRedis(raw, counter);
  const countedFloor = await openRedisFloor(counted, floorPrefix);
  return {
    id: 'redis',
    label,
    callsLabel: 'round trips',
    store,
    openStore: () => new RedisTicketStore({ client: raw, namespace }),
    floor: floor.floor,
    floorLabel: FLOOR_LABELS.redis,
    peer: { missing: await redisPeerNote(client) },
    counting: { counter, store: new RedisTicketStore({ client: counted, namespace }), floor: countedFloor.floor, peer: { missing: 'see the timed peer' } },
    raw: { client: raw, namespace },
    close: async () => {
      await floor.drop();
      await countedFloor.drop();
      // The namespace is made of characters the adapter's key encoding keeps as they are.
      for (const pattern of [`tf:{${namespace}}:*`, `${floorPrefix}*`]) {
        for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 500 })) if (keys.length > 0) await client.unlink(keys);
      }
      await client.close();
    },
  };
}

/** LangGraph.js has a Redis checkpointer, but it needs modules this server may not have. */
async function redisPeerNote(client: ReturnType<typeof createClient>): Promise<string> {
  const info = await client.info('server');
  const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  const modules = (await client.sendCommand(['MODULE', 'LIST']).catch(() => [])) as unknown[];
  const names = JSON.stringify(modules).match(/"(ReJSON|search|json)"/gi) ?? [];
  const why =
    names.length >= 2
      ? 'this server has them, but the bench does not install that saver yet'
      : `this server is Redis ${version} with ${modules.length === 0 ? 'no modules' : `modules ${JSON.stringify(modules)}`}`;
  return `@langchain/langgraph-checkpoint-redis exists on npm but needs the RedisJSON and RediSearch modules (Redis Stack or Redis ≥ 8); ${why}`;
}

function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
