import pg from 'pg';
import type { CallCounter } from '../measure/interleave.js';

/** The pool settings `PostgresTicketStore` uses for a pool it creates (its defaults), shared by every pool of the bench. */
export const POOL_SETTINGS = {
  connectionTimeoutMillis: 3_000,
  statement_timeout: 10_000,
  max: 10,
  keepAlive: true,
  application_name: 'ticketflow-bench',
} as const;

/** A plain pool with the bench's settings: the one every timed variant of a run shares. */
export function benchPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, ...POOL_SETTINGS });
  pool.on('error', () => {});
  return pool;
}

/**
 * A `pg.Pool` whose connections count every query they send: the pool is given a
 * `pg.Client` subclass, so `pool.query` (one checkout, one query) and the queries of a
 * checked-out client (LangGraph's `BEGIN … COMMIT`) are each counted once, as one round
 * trip. Used by the count pass only, never by a timed variant.
 */
export function countingPool(connectionString: string, counter: CallCounter): pg.Pool {
  const query = pg.Client.prototype.query;
  class CountingClient extends pg.Client {}
  CountingClient.prototype.query = function countedQuery(this: pg.Client, ...parameters: unknown[]) {
    counter.count += 1;
    return (query as (...args: unknown[]) => unknown).apply(this, parameters);
  } as typeof query;
  const pool = new pg.Pool({ connectionString, ...POOL_SETTINGS, Client: CountingClient });
  pool.on('error', () => {});
  return pool;
}
