import { expect } from 'vitest';
import type { TicketDoc } from '../../model/ticket.js';
import { StoreError } from '../../store/store-error.js';
import type { StoreErrorKind } from '../../store/store-error.js';
import type { TicketEvent } from '../../store/ticket-event.js';
import type { CommitResult, TicketStore } from '../../store/ticket-store.js';

/** The time every sample document and event carries unless a test sets another. */
export const SAMPLE_TIME = '2026-01-02T03:04:05.678Z';

/** Index fields a test sets on a sample document (what `ticketIndexOf` reads). */
export interface SampleMeta {
  incarnation?: string | null;
  status?: string;
  updatedAt?: string;
  /** Epoch ms of the execution's claim; absent: no execution. */
  leaseExpiresAt?: number;
}

/** A document with the shape of a real ticket plus arbitrary extra JSON. */
export function sampleTicket(id: string, extra: Record<string, unknown>, meta: SampleMeta = {}): TicketDoc {
  const ticket: Record<string, unknown> = {
    schemaVersion: 1,
    id,
    createdAt: SAMPLE_TIME,
    updatedAt: meta.updatedAt ?? SAMPLE_TIME,
    turn: 0,
    status: meta.status ?? 'open',
    intent: null,
    workflow: null,
    slots: {},
    deferred: [],
    pending: null,
    confirmation: null,
    outcomes: {},
    transcript: [],
    processed: [],
    execution:
      meta.leaseExpiresAt === undefined ? null : { id: `${id}:1`, workflow: 'sample', turn: 1, owner: 'w1', leaseExpiresAt: meta.leaseExpiresAt, steps: [] },
    usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0, estimatedCost: 0 },
    extra,
  };
  if (meta.incarnation !== null) ticket.incarnation = meta.incarnation ?? `inc-${id.slice(0, 40)}`;
  return ticket as unknown as TicketDoc;
}

/** An event at {@link SAMPLE_TIME}. */
export function event(type: string, data?: Record<string, unknown>): TicketEvent {
  return data === undefined ? { type, at: SAMPLE_TIME } : { type, at: SAMPLE_TIME, data };
}

/** A short, printable account of what a store returned, for failure messages. */
export function shown(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message.slice(0, 200)}`;
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item));
  } catch {
    text = String(value);
  }
  if (text === undefined) return String(value);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
}

/**
 * Asserts `actual` deep-equals `expected`, failing with what the contract requires and what
 * the store did: `DESIGN §5: … — the store returned …`.
 */
export function expectContract(actual: unknown, expected: unknown, requirement: string): void {
  expect(actual, `${requirement} — the store returned ${shown(actual)}`).toEqual(expected);
}

/** Asserts a condition with the same kind of message as {@link expectContract}. */
export function expectTrue(condition: boolean, requirement: string, observed: string): void {
  expect(condition, `${requirement} — ${observed}`).toBe(true);
}

/** Commits and returns the new version; a conflict fails the test with the contract's words. */
export async function commitOk(
  store: TicketStore,
  ticketId: string,
  expectedVersion: number | null,
  ticket: TicketDoc,
  events: TicketEvent[],
): Promise<number> {
  let result: CommitResult;
  try {
    result = await store.commit({ ticketId, expectedVersion, ticket, events });
  } catch (error) {
    throw new Error(
      `DESIGN §5: a valid commit of ${shown(ticketId.slice(0, 40))} at expectedVersion ${String(expectedVersion)} must succeed — the store threw ${shown(error)}`,
      { cause: error },
    );
  }
  if (!result.ok) {
    throw new Error(
      `DESIGN §5: a commit of ${shown(ticketId.slice(0, 40))} at the stored version (${String(expectedVersion)}) must succeed — the store returned ${shown(result)}`,
    );
  }
  return result.version;
}

/** What a promise settled with: `{ value }` or `{ error }`. */
export async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

/**
 * Asserts that `call` rejects with a `StoreError` of `kind`, and returns it.
 * @param requirement - the contract's words, e.g. `DESIGN §5: a NUL in the document is refused`.
 */
export async function expectStoreError(call: () => Promise<unknown>, kind: StoreErrorKind, requirement: string): Promise<StoreError> {
  const outcome = await settle(Promise.resolve().then(call));
  const did = 'error' in outcome ? `threw ${shown(outcome.error)}` : `resolved ${shown(outcome.value)}`;
  expect(
    StoreError.isInstance(outcome.error) && outcome.error.kind,
    `${requirement}: it must reject with a StoreError of kind "${kind}" — the store ${did}`,
  ).toBe(kind);
  return outcome.error as StoreError;
}

/** Pauses for `ms` milliseconds. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
