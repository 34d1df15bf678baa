import { expect } from 'vitest';
import { MemoryStoreData, MemoryTicketStore, type CommitRequest, type CommitResult, type StoredTicketEvent, type TicketStore } from '@ticketflow/core';

/** One commit the engine sent, with what the store answered. */
export interface SeenCommit {
  request: CommitRequest;
  result: CommitResult;
}

/**
 * A store that counts every call and keeps every commit request with its answer, so a test can
 * look at each committed document and its events (and at refused compare-and-sets).
 */
export function recordingStore(inner: TicketStore = new MemoryTicketStore()) {
  const counts = { load: 0, commit: 0, events: 0, refused: 0, delete: 0, list: 0 };
  const commits: SeenCommit[] = [];
  const store: TicketStore = {
    name: 'recording',
    load: (id) => ((counts.load += 1), inner.load(id)),
    commit: async (request) => {
      counts.commit += 1;
      const snapshot = JSON.parse(JSON.stringify(request)) as CommitRequest;
      const result = await inner.commit(request);
      if (!result.ok) counts.refused += 1;
      commits.push({ request: snapshot, result });
      return result;
    },
    events: (id, options) => ((counts.events += 1), inner.events(id, options)),
    delete: (id) => ((counts.delete += 1), inner.delete(id)),
    list: (query) => ((counts.list += 1), inner.list(query)),
    purge: (options) => inner.purge(options),
    close: () => inner.close(),
  };
  const reset = () => {
    for (const key of Object.keys(counts) as (keyof typeof counts)[]) counts[key] = 0;
    commits.length = 0;
  };
  /** The successful commits of one ticket, in order. */
  const committed = (ticketId: string) => commits.filter((commit) => commit.request.ticketId === ticketId && commit.result.ok);
  return { store, counts, commits, committed, reset, inner };
}

/** A memory store shared by several agents (workers) through one data set. */
export function sharedMemory() {
  const data = new MemoryStoreData();
  return { data, store: () => new MemoryTicketStore({ data }) };
}

/** Waits until `condition` holds (polling), failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** A promise with its resolver, to hold a tool or an LLM at a chosen point. */
export function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Event types of a log, in order. */
export const typesOf = (events: readonly { type: string }[]) => events.map((event) => event.type);

/** Events of one type. */
export function eventsOf<Type extends StoredTicketEvent['type']>(
  events: readonly { type: string }[],
  type: Type,
): Extract<StoredTicketEvent, { type: Type }>[] {
  // `agent.inspect()` returns the store-level record type (see the report): narrowed here.
  return (events as readonly StoredTicketEvent[]).filter((event) => event.type === type) as Extract<StoredTicketEvent, { type: Type }>[];
}

/** Journal steps must be dense: indices 0..n-1, no null holes. */
export function expectDenseSteps(steps: readonly unknown[]): void {
  steps.forEach((step, index) => {
    expect(step, `journal step ${index}`).not.toBeNull();
    expect(step, `journal step ${index}`).toBeTypeOf('object');
    expect((step as { index: number }).index).toBe(index);
  });
}
