import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createClient } from 'redis';
import { MemoryStoreData, MemoryTicketStore, type TicketStore } from '@ticketflow/core';
import { PostgresTicketStore } from '@ticketflow/adapter-postgres';
import { RedisTicketStore, type RedisClientLike } from '@ticketflow/adapter-redis';
import { SqliteTicketStore } from '@ticketflow/adapter-sqlite';
import { countingPool } from '../drivers/counting-postgres.js';
import { countingRedis } from '../drivers/counting-redis.js';
import { countSqliteCalls } from '../drivers/counting-sqlite.js';
import { COMMIT_SCRIPT, encodeKeyPart } from '../floors/adapter-statements.js';
import type { FloorFactory } from '../floors/floor.js';
import { memoryStoreFloor } from '../floors/memory-floor.js';
import { postgresFloor } from '../floors/postgres-floor.js';
import { redisFloor } from '../floors/redis-floor.js';
import { sqliteFloor } from '../floors/sqlite-floor.js';
import type { CallCounter } from '../measure/interleave.js';
import { openPeerSaver, type PeerSaver } from '../peer/peer-savers.js';

export type BackendId = 'memory' | 'sqlite' | 'postgres' | 'redis';

/** One store under test, with its floor and the peer's checkpointer on the same backend. */
export interface Backend {
  id: BackendId;
  label: string;
  /** What the counter counts: network round trips, or statements of an in-process database. */
  callsLabel: string | null;
  /** Driver calls made through `store` and the floor (attributed per variant by difference). */
  counter?: CallCounter;
  /** The store `handle` runs on, driven through the counting driver. */
  store: TicketStore;
  /** Another store instance on the same data and namespace (one per agent in the concurrency scenario). */
  openStore(): TicketStore;
  floor: FloorFactory;
  /** How the floor is built, for the report. */
  floorLabel: string;
  /** LangGraph's checkpointer on the same backend, or why there is none. */
  peer: PeerSaver | { missing: string };
  /** Removes every key, table and file the backend created, and closes its connections. */
  close(): Promise<void>;
}

export type BackendOutcome = Backend | { id: BackendId; label: string; skipped: string };

export const PG_URL = process.env.TICKETFLOW_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TICKETFLOW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const suffix = () => randomBytes(4).toString('hex');

export async function openMemory(): Promise<Backend> {
  const data = new MemoryStoreData();
  return {
    id: 'memory',
    label: 'MemoryTicketStore',
    callsLabel: null,
    store: new MemoryTicketStore({ data }),
    openStore: () => new MemoryTicketStore({ data }),
    floor: async (_ticketId, turns) => memoryStoreFloor(turns),
    floorLabel: "what the store physically does: JSON.parse of the stored text to load; JSON.stringify of the document and events + Map.set per write. The core-overhead floor the issue names is a structuredClone of the same document + Map.set",
    peer: await openPeerSaver('memory'),
    close: async () => {},
  };
}

export async function openSqlite(): Promise<BackendOutcome> {
  const label = 'SQLite (temp file, WAL)';
  const directory = mkdtempSync(join(tmpdir(), 'ticketflow-bench-'));
  try {
    const counter: CallCounter = { count: 0 };
    const filename = join(directory, 'tickets.db');
    const namespace = `bench-${suffix()}`;
    // Opened as SqliteTicketStore opens a file itself (busy timeout, WAL), but owned here so that statements can be counted.
    const raw = new Database(filename, { timeout: 5_000 });
    raw.pragma('journal_mode = WAL');
    const database = countSqliteCalls(raw, counter);
    const store = new SqliteTicketStore({ database, namespace });
    await store.load('schema-warm-up');
    const opened: TicketStore[] = [];
    const peer = await openPeerSaver('sqlite', { filename: join(directory, 'langgraph.db') });
    return {
      id: 'sqlite',
      label,
      callsLabel: 'statements',
      counter,
      store,
      openStore: () => {
        const another = new SqliteTicketStore({ filename, namespace });
        opened.push(another);
        return another;
      },
      floor: sqliteFloor(database, namespace),
      floorLabel: "the adapter's prepared statements on the same connection: SELECT + JSON.parse; per write BEGIN IMMEDIATE, version check, UPDATE, one INSERT per event, COMMIT",
      peer,
      close: async () => {
        for (const another of opened) await another.close();
        if (!('missing' in peer)) await peer.close();
        raw.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    return { id: 'sqlite', label, skipped: `SQLite could not be opened: ${messageOf(error)}` };
  }
}

export async function openPostgres(): Promise<BackendOutcome> {
  const label = 'Postgres (this machine)';
  const counter: CallCounter = { count: 0 };
  const pool = countingPool(PG_URL, counter);
  const id = suffix();
  const schema = `tf_bench_${id}`;
  const namespace = `bench-${id}`;
  try {
    await withDeadline(pool.query('SELECT 1'), 5_000, 'no answer within 5 s');
  } catch (error) {
    await pool.end().catch(() => {});
    return { id: 'postgres', label, skipped: `Postgres did not answer at ${redact(PG_URL)}: ${messageOf(error)}` };
  }
  const store = new PostgresTicketStore({ pool, namespace, schema });
  await store.load('schema-warm-up');
  const peer = await openPeerSaver('postgres', { connectionString: PG_URL, schema: `lg_bench_${id}` });
  return {
    id: 'postgres',
    label,
    callsLabel: 'round trips',
    counter,
    store,
    openStore: () => new PostgresTicketStore({ pool, namespace, schema }),
    floor: postgresFloor(pool, schema, namespace),
    floorLabel: "the adapter's SQL on the same pool: its load SELECT + JSON.parse; per write its one-statement CTE (row lock, compare-and-set, update, event append)",
    peer,
    close: async () => {
      if (!('missing' in peer)) await peer.close();
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
  const counter: CallCounter = { count: 0 };
  const namespace = `bench-${suffix()}`;
  await client.scriptLoad(COMMIT_SCRIPT);
  const counted = countingRedis(client as unknown as RedisClientLike, counter);
  return {
    id: 'redis',
    label,
    callsLabel: 'round trips',
    counter,
    store: new RedisTicketStore({ client: counted, namespace }),
    openStore: () => new RedisTicketStore({ client: client as unknown as RedisClientLike, namespace }),
    floor: redisFloor(counted, namespace),
    floorLabel: "the adapter's keys and Lua script on the same client: HMGET + JSON.parse; per write one EVALSHA",
    peer: { missing: await redisPeerNote(client) },
    close: async () => {
      const pattern = `tf:${encodeKeyPart(namespace)}:*`;
      for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 500 })) if (keys.length > 0) await client.unlink(keys);
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
  const why = names.length >= 2 ? 'this server has them, but the bench does not install that saver yet' : `this server is Redis ${version} with ${modules.length === 0 ? 'no modules' : `modules ${JSON.stringify(modules)}`}`;
  return `@langchain/langgraph-checkpoint-redis exists on npm but needs the RedisJSON and RediSearch modules (Redis Stack or Redis ≥ 8); ${why}`;
}

function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
