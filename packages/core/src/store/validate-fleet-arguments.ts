import { didYouMean } from '../config/closest-name.js';
import { decodeListCursor } from './list-cursor.js';
import type { ListPosition } from './list-cursor.js';
import { StoreError } from './store-error.js';
import { canonicalTime } from './ticket-index.js';
import type { ListQuery, PurgeOptions } from './ticket-store.js';
import { unstorableText } from './unstorable-value.js';

/** A {@link ListQuery} checked and normalised by {@link validateListQuery}: what a driver serves. */
export interface ResolvedListQuery {
  /** The statuses to keep, without duplicates; null for any status. */
  statuses: string[] | null;
  /** Canonical ISO time (see `ticketIndexOf`): only tickets updated strictly before; or null. */
  updatedBefore: string | null;
  /** Canonical ISO time: only tickets whose claim expires strictly before; or null. */
  claimExpiredBefore: string | null;
  /** Page size, 1–1,000. A driver returns up to `limit + 1` rows so the page knows there is more. */
  limit: number;
  /** Only tickets after this position in list order (from the cursor); null for the first page. */
  after: ListPosition | null;
}

/** {@link PurgeOptions} checked and normalised by {@link validatePurgeOptions}. */
export interface ResolvedPurgeOptions {
  /** Canonical ISO time: tickets updated strictly before it. */
  before: string;
  /** At most this many; null for all. */
  limit: number | null;
}

/** Default and largest page size of `list`. */
export const LIST_LIMIT = { default: 100, max: 1_000 } as const;

const LIST_KEYS = ['status', 'updatedBefore', 'claimExpiredBefore', 'limit', 'cursor'];
const PURGE_KEYS = ['before', 'limit'];

/**
 * Checks the arguments of `list` and normalises them for a driver.
 * @throws {StoreError} `invalid`, before the backend is touched: an unknown option (with the
 * closest valid one), a status that is not a non-empty string, a time that is not ISO 8601,
 * a limit outside 1–1,000, a cursor this store did not return.
 */
export function validateListQuery(adapter: string, query: ListQuery | undefined): ResolvedListQuery {
  if (query === undefined || query === null) return { statuses: null, updatedBefore: null, claimExpiredBefore: null, limit: LIST_LIMIT.default, after: null };
  const record = requireRecord(adapter, query, 'list query', LIST_KEYS);
  const limit = record.limit === undefined ? LIST_LIMIT.default : record.limit;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > LIST_LIMIT.max) {
    throw invalid(adapter, `limit must be an integer from 1 to ${LIST_LIMIT.max}, got ${describe(limit)}`);
  }
  const cursor = record.cursor;
  if (cursor !== undefined && cursor !== null && typeof cursor !== 'string') throw invalid(adapter, `cursor must be a string or null, got ${describe(cursor)}`);
  return {
    statuses: resolveStatuses(adapter, record.status),
    updatedBefore: optionalTime(adapter, 'updatedBefore', record.updatedBefore),
    claimExpiredBefore: optionalTime(adapter, 'claimExpiredBefore', record.claimExpiredBefore),
    limit,
    after: typeof cursor === 'string' && cursor.length > 0 ? decodeListCursor(adapter, cursor) : null,
  };
}

/**
 * Checks the arguments of `purge` and normalises them for a driver.
 * @throws {StoreError} `invalid`: `before` missing or not ISO 8601, a limit that is not a
 * positive integer, an unknown option.
 */
export function validatePurgeOptions(adapter: string, options: PurgeOptions): ResolvedPurgeOptions {
  const record = requireRecord(adapter, options, 'purge options', PURGE_KEYS);
  const before = optionalTime(adapter, 'before', record.before);
  if (before === null) throw invalid(adapter, 'purge needs before: an ISO 8601 time (tickets updated strictly before it are deleted)');
  const limit = record.limit;
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1)) {
    throw invalid(adapter, `limit must be a positive integer, got ${describe(limit)}`);
  }
  return { before, limit: limit === undefined ? null : limit };
}

function requireRecord(adapter: string, value: unknown, what: string, known: string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(adapter, `${what} must be an object`);
  for (const key of Object.keys(value)) {
    if (known.includes(key) || (value as Record<string, unknown>)[key] === undefined) continue;
    throw invalid(adapter, `unknown ${what} option ${JSON.stringify(key)}${didYouMean(key, known) || ` (valid: ${known.join(', ')})`}`);
  }
  return value as Record<string, unknown>;
}

function resolveStatuses(adapter: string, status: unknown): string[] | null {
  if (status === undefined || status === null) return null;
  const list = typeof status === 'string' ? [status] : status;
  if (!Array.isArray(list) || list.length === 0) throw invalid(adapter, 'status must be a status or a non-empty array of statuses');
  for (const item of list) {
    if (typeof item !== 'string' || item.length === 0 || unstorableText(item) !== undefined) {
      throw invalid(adapter, `each status must be a non-empty, well-formed string, got ${describe(item)}`);
    }
  }
  return [...new Set(list as string[])];
}

function optionalTime(adapter: string, name: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const canonical = typeof value === 'string' ? canonicalTime(value) : undefined;
  if (canonical === undefined) throw invalid(adapter, `${name} must be an ISO 8601 time such as 2026-01-02T03:04:05.678Z, got ${describe(value)}`);
  return canonical;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return typeof value === 'number' || typeof value === 'boolean' || value === null ? String(value) : typeof value;
}

function invalid(adapter: string, message: string): StoreError {
  return new StoreError({ kind: 'invalid', adapter, message });
}
