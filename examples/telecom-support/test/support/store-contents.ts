import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Everything a store keeps, read the way someone holding a copy of it would: the raw bytes of
 * SQLite's files, every row of the PostgreSQL tables (and, as a superuser, the raw table
 * files), every key and value of a Redis namespace. Each piece is one {@link StoreContent}.
 */
export interface StoreContent {
  /** Where it was read: file, table and row, key and command. */
  source: string;
  content: string | Uint8Array;
}

// The example does not depend on the drivers itself: they are the adapters' dependencies,
// loaded from the adapters' own folders (the workspace links them under node_modules).
function requireFromAdapter(adapter: 'adapter-postgres' | 'adapter-redis'): NodeJS.Require {
  const folder = realpathSync(fileURLToPath(new URL(`../../node_modules/@ticketflow/${adapter}`, import.meta.url)));
  return createRequire(join(folder, 'package.json'));
}

/** Every file of `directory` (the database, `-wal`, `-shm`, any journal), byte for byte. */
export function sqliteFiles(directory: string): StoreContent[] {
  return readdirSync(directory)
    .filter((name) => statSync(join(directory, name)).isFile())
    .map((name) => ({ source: `sqlite file ${name}`, content: readFileSync(join(directory, name)) }));
}

// ---------------------------------------------------------------- PostgreSQL

/** The part of a `pg` pool this file uses. */
export interface PgPool {
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
  end(): Promise<void>;
}

/** A pool of the `pg` driver the PostgreSQL adapter uses. */
export function createPgPool(connectionString: string): PgPool {
  const { Pool } = requireFromAdapter('adapter-postgres')('pg') as { Pool: new (options: object) => PgPool };
  return new Pool({ connectionString, max: 2 });
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function tablesOf(pool: PgPool, schema: string): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema]);
  return rows.map((row) => row.name);
}

/** Every row of every table of `schema`, as PostgreSQL's text form of the whole row (`t::text`). */
export async function postgresRows(pool: PgPool, schema: string): Promise<StoreContent[]> {
  const contents: StoreContent[] = [];
  for (const table of await tablesOf(pool, schema)) {
    const { rows } = await pool.query<{ row: string }>(`SELECT t::text AS row FROM ${quote(schema)}.${quote(table)} t`);
    rows.forEach((row, index) => contents.push({ source: `postgres ${schema}.${table} row ${index + 1}`, content: row.row }));
  }
  return contents;
}

/** True when this role may read the server's files and force a checkpoint (a superuser). */
export async function canReadRelationFiles(pool: PgPool): Promise<boolean> {
  const { rows } = await pool.query<{ allowed: boolean }>(`SELECT rolsuper AS allowed FROM pg_roles WHERE rolname = current_user`);
  return rows[0]?.allowed === true;
}

/**
 * Stores the schema's text and JSON columns uncompressed (`STORAGE EXTERNAL`), so the table
 * files hold the text as text and a scan of their bytes can see it — a compressed document
 * would hide a value from the scan, not from an attacker with a decompressor.
 */
export async function storeColumnsUncompressed(pool: PgPool, schema: string): Promise<void> {
  const { rows } = await pool.query<{ table: string; column: string }>(
    `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns WHERE table_schema = $1 AND data_type IN ('jsonb', 'json', 'text', 'bytea')`,
    [schema],
  );
  for (const { table, column } of rows) await pool.query(`ALTER TABLE ${quote(schema)}.${quote(table)} ALTER COLUMN ${quote(column)} SET STORAGE EXTERNAL`);
}

/**
 * The raw bytes of every relation of `schema` — tables, their indexes, their TOAST tables and
 * TOAST indexes — after a `CHECKPOINT` wrote the shared buffers to them. Needs a superuser.
 */
export async function postgresRelationFiles(pool: PgPool, schema: string): Promise<StoreContent[]> {
  await pool.query('CHECKPOINT');
  const { rows } = await pool.query<{ name: string; path: string | null }>(
    `WITH own AS (SELECT c.oid, c.reltoastrelid FROM pg_class c WHERE c.relnamespace = $1::regnamespace),
          toast AS (SELECT reltoastrelid AS oid FROM own WHERE reltoastrelid <> 0),
          toast_index AS (SELECT i.indexrelid AS oid FROM pg_index i JOIN toast t ON i.indrelid = t.oid)
     SELECT oid::regclass::text AS name, pg_relation_filepath(oid) AS path
       FROM (SELECT oid FROM own UNION SELECT oid FROM toast UNION SELECT oid FROM toast_index) relations`,
    [schema],
  );
  const contents: StoreContent[] = [];
  for (const { name, path } of rows) {
    if (path === null) continue;
    const { rows: file } = await pool.query<{ bytes: Buffer | null }>(
      `SELECT CASE WHEN (pg_stat_file($1, true)).size IS NULL THEN NULL ELSE pg_read_binary_file($1) END AS bytes`,
      [path],
    );
    contents.push({ source: `postgres file of ${name} (${path})`, content: file[0]?.bytes ?? Buffer.alloc(0) });
  }
  return contents;
}

// ---------------------------------------------------------------- Redis

/** The part of a node-redis client this file uses. */
export interface RedisConnection {
  sendCommand<Reply = unknown>(args: string[], options?: object): Promise<Reply>;
  close(): Promise<void>;
}

/** A client of the `redis` driver the Redis adapter uses, connected. */
export async function connectRedis(url: string): Promise<RedisConnection> {
  const { createClient } = requireFromAdapter('adapter-redis')('redis') as { createClient: (options: object) => { connect(): Promise<RedisConnection> } };
  return createClient({ url }).connect();
}

type Reply = Buffer | string | number | null | Reply[];

function flatten(reply: Reply): Buffer {
  if (reply === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(reply)) return reply;
  if (Array.isArray(reply)) return Buffer.concat(reply.flatMap((item) => [flatten(item), Buffer.from('\n')]));
  return Buffer.from(String(reply));
}

const READ_BY_TYPE: Record<string, (key: string) => string[]> = {
  string: (key) => ['GET', key],
  hash: (key) => ['HGETALL', key],
  list: (key) => ['LRANGE', key, '0', '-1'],
  set: (key) => ['SMEMBERS', key],
  zset: (key) => ['ZRANGE', key, '0', '-1', 'WITHSCORES'],
  stream: (key) => ['XRANGE', key, '-', '+'],
};

/** Every key whose name contains `fragment` (SCAN, never KEYS). */
export async function redisKeys(client: RedisConnection, fragment: string): Promise<string[]> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await client.sendCommand<[string, string[]]>([
      'SCAN',
      cursor,
      'MATCH',
      `*${fragment.replace(/[*?[\]\\]/g, '\\$&')}*`,
      'COUNT',
      '500',
    ]);
    for (const key of batch) keys.add(key);
    cursor = next;
  } while (cursor !== '0');
  return [...keys].sort();
}

/**
 * Every key whose name contains `fragment` with its value read by type (`GET`, `HGETALL`,
 * `LRANGE`, `ZRANGE … WITHSCORES`, `SMEMBERS`, `XRANGE`) and its `DUMP` serialisation, as bytes.
 */
export async function redisValues(client: RedisConnection, fragment: string): Promise<StoreContent[]> {
  const asBytes = { typeMapping: { 36: Buffer, 43: Buffer } }; // blob and simple strings as Buffers
  const contents: StoreContent[] = [];
  for (const key of await redisKeys(client, fragment)) {
    const type = String(await client.sendCommand(['TYPE', key]));
    const read = READ_BY_TYPE[type];
    contents.push({ source: `redis key ${key} (name)`, content: key });
    if (read) contents.push({ source: `redis key ${key} (${type}, ${read(key)[0]})`, content: flatten(await client.sendCommand<Reply>(read(key), asBytes)) });
    else contents.push({ source: `redis key ${key} (unread type ${type})`, content: `unknown type ${type}` });
    contents.push({ source: `redis key ${key} (DUMP)`, content: flatten(await client.sendCommand<Reply>(['DUMP', key], asBytes)) });
  }
  return contents;
}
