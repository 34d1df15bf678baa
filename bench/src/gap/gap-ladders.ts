import { randomBytes } from 'node:crypto';
import type { CommitRequest } from '@ticketflow/core';
import { findUnstorableValue, ticketIndexOf } from '@ticketflow/core/adapter';
import type { TurnKind } from '../bench-domain.js';
import { lostFloor, type FloorFactory } from '../floors/floor.js';
import { openPostgresFloor, type ExplainedWrite, type PostgresFloorFeatures } from '../floors/postgres-floor.js';
import { openRedisFloor } from '../floors/redis-floor.js';
import { openSqliteFloor, type SqliteFloorFeatures } from '../floors/sqlite-floor.js';
import type { Backend } from '../stores/backends.js';
import type { TurnShape } from '../turn-shapes.js';
import { adapterStep, driverStep, floorStep, handleStep, type GapStep } from './gap-step.js';
import { adapterScriptFloor } from './redis-adapter-script.js';

/** The steps of one store's ladder and what must be undone after the run. */
export interface GapLadder {
  steps: GapStep[];
  /** Postgres only: each floor step's write under EXPLAIN ANALYZE (server time, WAL, pages), by step name. */
  explainers?: { name: string; explain(commit: CommitRequest): Promise<ExplainedWrite> }[];
  cleanup(): Promise<void>;
}

/**
 * The ladder of one store for one kind of turn: the floor, then the adapter's design
 * features added one at a time (each a floor variant with its own tables or keys), the
 * adapter's driver alone, the adapter, and `handle`; plus single steps (the floor with one
 * feature) that size each feature without the others.
 */
export async function gapLadder(backend: Backend, kind: TurnKind, shape: TurnShape): Promise<GapLadder> {
  switch (backend.id) {
    case 'memory':
      return memoryLadder(backend, kind, shape);
    case 'sqlite':
      return sqliteLadder(backend, kind, shape);
    case 'postgres':
      return postgresLadder(backend, kind, shape);
    case 'redis':
      return redisLadder(backend, kind, shape);
  }
}

function tail(backend: Backend, kind: TurnKind, shape: TurnShape): GapStep[] {
  return [
    driverStep(backend.store, shape, 'gap-driver'),
    adapterStep(backend.store, shape, 'gap-adapter'),
    handleStep(backend.store, kind, shape, 'gap-handle'),
  ];
}

async function memoryLadder(backend: Backend, kind: TurnKind, shape: TurnShape): Promise<GapLadder> {
  const steps = [
    floorStep('floor', 'load: JSON.parse; write: version check, JSON.stringify, Map.set', backend.floor, shape, 'gap-floor'),
    floorStep(
      '+ path-naming walk',
      "findUnstorableValue over the document and each event: the storage rule's slow path, which encodeStoredJson runs only when its fast check (escape scan, type walk) has a doubt",
      checkedMemoryFloor(backend.floor, 'walk'),
      shape,
      'gap-walk',
    ),
    floorStep(
      '+ index fields',
      'ticketIndexOf per write (status, updatedAt, claim, incarnation)',
      checkedMemoryFloor(backend.floor, 'index'),
      shape,
      'gap-index',
      true,
    ),
    ...tail(backend, kind, shape),
  ];
  return { steps, cleanup: async () => {} };
}

/** The memory floor with the wrapper's per-write work added before it. */
function checkedMemoryFloor(floor: FloorFactory, work: 'walk' | 'index'): FloorFactory {
  return async (ticketId, turns) => {
    const inner = await floor(ticketId, turns);
    return (index) => {
      for (const commit of turns[index % turns.length]!) {
        if (work === 'walk' && (findUnstorableValue(commit.ticket) || commit.events.some((event) => findUnstorableValue(event)))) throw lostFloor('memory');
        if (work === 'index') ticketIndexOf(commit.ticket);
      }
      return inner(index);
    };
  };
}

async function sqliteLadder(backend: Backend, kind: TurnKind, shape: TurnShape): Promise<GapLadder> {
  const filename = backend.raw.filename!;
  const closers: (() => void)[] = [];
  const variant = (prefix: string, features: SqliteFloorFeatures) => {
    const opened = openSqliteFloor(filename, `gap_${prefix}_`, features);
    closers.push(opened.close);
    return opened.floor;
  };
  const ladder: [string, string, SqliteFloorFeatures][] = [
    ['floor', 'prepared SELECT; transaction.immediate(): UPDATE … WHERE version = ?, INSERT per event', {}],
    ['+ namespace key', 'rows keyed by (namespace, ticket_id)', { namespaced: true }],
    ['+ index columns', 'status, updated_at, claim_expires_at, incarnation written every commit; three indexes on them', { namespaced: true, indexed: true }],
    [
      "+ adapter's transaction",
      'BEGIN IMMEDIATE by exec, one UPDATE … WHERE version = ? AND incarnation = ? RETURNING last_seq, the event inserts, COMMIT',
      { namespaced: true, indexed: true, adapterTransaction: true },
    ],
    [
      '+ secure_delete',
      'PRAGMA secure_delete = ON (freed pages zeroed: the erasure guarantee)',
      { namespaced: true, indexed: true, adapterTransaction: true, secureDelete: true },
    ],
  ];
  const singles: [string, string, SqliteFloorFeatures][] = [
    ['floor + index columns only', 'the index columns and their indexes alone', { indexed: true }],
    ['floor + secure_delete only', 'secure_delete alone', { secureDelete: true }],
  ];
  const steps: GapStep[] = [];
  for (const [index, [name, adds, features]] of ladder.entries()) steps.push(floorStep(name, adds, variant(`l${index}`, features), shape, `gap-l${index}`));
  steps.push(...tail(backend, kind, shape));
  for (const [index, [name, adds, features]] of singles.entries())
    steps.push(floorStep(name, adds, variant(`s${index}`, features), shape, `gap-s${index}`, true));
  return { steps, cleanup: async () => closers.forEach((close) => close()) };
}

async function postgresLadder(backend: Backend, kind: TurnKind, shape: TurnShape): Promise<GapLadder> {
  const pool = backend.raw.pool!;
  const drops: (() => Promise<void>)[] = [];
  const explainers: NonNullable<GapLadder['explainers']> = [];
  const tag = randomBytes(3).toString('hex');
  const variant = async (id: string, name: string, features: PostgresFloorFeatures) => {
    const opened = await openPostgresFloor(pool, `tf_gap_${tag}_${id}`, features);
    drops.push(opened.drop);
    const explainTicket = `gap-explain-${id}`;
    await opened.floor(explainTicket, shape.turns);
    explainers.push({ name, explain: (commit) => opened.explain(explainTicket, commit) });
    return opened.floor;
  };
  const ladder: [string, string, PostgresFloorFeatures][] = [
    ['floor', 'SELECT by id; one statement: UPDATE … WHERE version = $n + INSERT … VALUES (CTE)', {}],
    ['+ namespace, SHA-256 key', '(namespace, bytea SHA-256 of the id) primary key, ticket_id column, the hash computed per call', { namespaced: true }],
    [
      '+ index columns',
      'status, updated_at, claim_expires_at, incarnation written every commit; three indexes (no HOT update)',
      { namespaced: true, indexed: true },
    ],
    [
      '+ delete trigger',
      "a row trigger deletes a ticket's events with it (the adapter's schema 3; nothing runs on a commit)",
      { namespaced: true, indexed: true, deleteTrigger: true },
    ],
    [
      "+ adapter's statement shape",
      'the incarnation re-checked, events from one JSON array (jsonb_array_elements)',
      { namespaced: true, indexed: true, deleteTrigger: true, adapterShape: true },
    ],
  ];
  const singles: [string, string, PostgresFloorFeatures][] = [
    ['floor + index columns only', 'the index columns and their indexes alone', { indexed: true }],
    ['floor + delete trigger only', 'the delete trigger alone', { deleteTrigger: true }],
    ["floor + adapter's statement shape only", 'the statement shape alone', { adapterShape: true }],
  ];
  const steps: GapStep[] = [];
  for (const [index, [name, adds, features]] of ladder.entries())
    steps.push(floorStep(name, adds, await variant(`l${index}`, name, features), shape, `gap-l${index}`));
  steps.push(...tail(backend, kind, shape));
  for (const [index, [name, adds, features]] of singles.entries())
    steps.push(floorStep(name, adds, await variant(`s${index}`, name, features), shape, `gap-s${index}`, true));
  return { steps, explainers, cleanup: async () => void (await Promise.all(drops.map((drop) => drop()))) };
}

async function redisLadder(backend: Backend, kind: TurnKind, shape: TurnShape): Promise<GapLadder> {
  const client = backend.raw.client!;
  const prefix = `tf-gap:${backend.raw.namespace}:`;
  const withSeq = await openRedisFloor(client, `${prefix}seq:`, { withSeq: true });
  const script = await adapterScriptFloor(client, backend.raw.namespace);
  const steps = [
    floorStep('floor', 'HMGET; EVALSHA of a 4-line script (compare-and-set, HSET, RPUSH)', backend.floor, shape, 'gap-floor'),
    floorStep(
      '+ seq in each event',
      'the hash also holds the last seq; each event stored as {"seq":n,…} (the adapter\'s event format)',
      withSeq.floor,
      shape,
      'gap-seq',
    ),
    floorStep(
      "the adapter's commit script",
      "the adapter's keys and Lua script sent directly (index sorted sets and summaries, validation, PERSIST), no timers",
      script.floor,
      shape,
      'gap-script',
    ),
    ...tail(backend, kind, shape),
  ];
  return { steps, cleanup: async () => void (await Promise.all([withSeq.drop(), script.drop()])) };
}
