import pg from 'pg';
import type { CallCounter } from '../measure/interleave.js';

/**
 * A `pg.Pool` whose connections count every query they send: the pool is given a
 * `pg.Client` subclass, so `pool.query` (one checkout, one query) and the queries of a
 * checked-out client (LangGraph's `BEGIN … COMMIT`) are each counted once, as one round
 * trip. The settings are those `PostgresTicketStore` uses for a pool it creates.
 */
export function countingPool(connectionString: string, counter: CallCounter, max = 10): pg.Pool {
  const query = pg.Client.prototype.query;
  class CountingClient extends pg.Client {}
  CountingClient.prototype.query = function countedQuery(this: pg.Client, ...parameters: unknown[]) {
    counter.count += 1;
    return (query as (...args: unknown[]) => unknown).apply(this, parameters);
  } as typeof query;
  const pool = new pg.Pool({
    connectionString,
    connectionTimeoutMillis: 3_000,
    statement_timeout: 10_000,
    max,
    keepAlive: true,
    application_name: 'ticketflow-bench',
    Client: CountingClient,
  });
  pool.on('error', () => {});
  return pool;
}
