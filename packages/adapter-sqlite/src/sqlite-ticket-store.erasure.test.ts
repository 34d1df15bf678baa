import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { TicketDoc } from '@ticketflow/core';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteTicketStore } from './sqlite-ticket-store.js';

const directory = mkdtempSync(join(tmpdir(), 'ticketflow-sqlite-erasure-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** How often `marker` occurs in the raw bytes of the database file and of its WAL. */
function occurrences(filename: string, marker: string): { db: number; wal: number } {
  const count = (path: string) =>
    existsSync(path) ? readFileSync(path).toString('latin1').split(Buffer.from(marker, 'utf8').toString('latin1')).length - 1 : 0;
  return { db: count(filename), wal: count(`${filename}-wal`) };
}

function document(id: string, marker: string, turn: number, status = 'resolved', updatedAt = '2026-01-02T03:04:05.678Z'): TicketDoc {
  return {
    schemaVersion: 1,
    id,
    status,
    updatedAt,
    incarnation: `inc-${id}`,
    transcript: [{ role: 'user', text: `my address is ${marker}`, turn }],
    turn,
  } as unknown as TicketDoc;
}

/** Commits a ticket carrying `marker` a few times (so old versions exist too), with events. */
async function fill(store: SqliteTicketStore, ticketId: string, marker: string, updatedAt?: string): Promise<void> {
  let version: number | null = null;
  for (let turn = 1; turn <= 4; turn += 1) {
    const result = await store.commit({
      ticketId,
      expectedVersion: version,
      ticket: document(ticketId, marker, turn, 'resolved', updatedAt),
      events: [{ type: 'message.received', at: '2026-01-02T03:04:05.678Z', data: { text: `${marker} (turn ${turn})` } }],
    });
    if (!result.ok) throw new Error('conflict');
    version = result.version;
  }
}

describe('SqliteTicketStore erasure (DESIGN P3)', () => {
  it('P3 after delete the erased text is in neither the database file nor its WAL', async () => {
    const filename = join(directory, 'delete.db');
    const store = new SqliteTicketStore({ filename });
    await fill(store, 'T-erase', 'MARKER-4d1f-ERASE-ME');
    await fill(store, 'T-keep', 'MARKER-77aa-KEEP-ME');
    const before = occurrences(filename, 'MARKER-4d1f-ERASE-ME');
    expect(before.db + before.wal, 'the marker was written').toBeGreaterThan(0);
    await store.delete('T-erase');
    expect(occurrences(filename, 'MARKER-4d1f-ERASE-ME')).toEqual({ db: 0, wal: 0 });
    expect(occurrences(filename, 'MARKER-77aa-KEEP-ME').db, 'the other ticket is still in the file').toBeGreaterThan(0);
    expect((await store.load('T-keep'))?.version).toBe(4);
    await store.close();
    const raw = new Database(filename, { readonly: true });
    expect(raw.pragma('secure_delete', { simple: true })).toBe(0); // a per-connection setting: the store turns it on for its own
    raw.close();
  });

  it("P3 after purge the purged tickets' text is in neither the database file nor its WAL", async () => {
    const filename = join(directory, 'purge.db');
    const store = new SqliteTicketStore({ filename });
    await fill(store, 'T-old-1', 'MARKER-aa01-OLD', '2025-01-01T00:00:00.000Z');
    await fill(store, 'T-old-2', 'MARKER-aa02-OLD', '2025-01-02T00:00:00.000Z');
    await fill(store, 'T-new', 'MARKER-bb01-NEW', '2026-06-01T00:00:00.000Z');
    expect(await store.purge({ before: '2026-01-01T00:00:00.000Z' })).toBe(2);
    expect(occurrences(filename, 'MARKER-aa01-OLD')).toEqual({ db: 0, wal: 0 });
    expect(occurrences(filename, 'MARKER-aa02-OLD')).toEqual({ db: 0, wal: 0 });
    expect(occurrences(filename, 'MARKER-bb01-NEW').db).toBeGreaterThan(0);
    await store.close();
  });

  it('P3 a database passed in gets secure_delete too', async () => {
    const filename = join(directory, 'passed-in.db');
    const database = new Database(filename, { timeout: 5 });
    database.pragma('journal_mode = WAL');
    const store = new SqliteTicketStore({ database });
    await fill(store, 'T-erase', 'MARKER-cc01-PASSED');
    await store.delete('T-erase');
    expect(database.pragma('secure_delete', { simple: true })).toBe(1);
    expect(occurrences(filename, 'MARKER-cc01-PASSED')).toEqual({ db: 0, wal: 0 });
    await store.close();
    database.close();
  });
});
