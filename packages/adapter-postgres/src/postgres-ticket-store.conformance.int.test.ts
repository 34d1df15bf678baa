import pg from 'pg';
import { runTicketStoreConformance } from '@ticketflow/core/testing';
import { afterAll, describe } from 'vitest';
import { requirePostgres, uniqueName } from '../test/require-postgres.js';
import { quoteIdentifier } from './postgres-schema.js';
import { PostgresTicketStore } from './postgres-ticket-store.js';

const postgres = await requirePostgres();
const schema = uniqueName('tf_conformance');
const sharedPool = new pg.Pool({ connectionString: postgres.url, connectionTimeoutMillis: 3_000 });

afterAll(async () => {
  if (postgres.available) await sharedPool.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
  await sharedPool.end();
});

/** The database losing a namespace's rows behind the store's back (their events go with them: the delete trigger). */
async function wipe({ namespace }: { namespace: string }): Promise<void> {
  await sharedPool.query(`DELETE FROM ${quoteIdentifier(schema)}.ticketflow_tickets WHERE namespace = $1`, [namespace]);
}

describe.skipIf(!postgres.available)('PostgresTicketStore', () => {
  runTicketStoreConformance({
    name: 'postgres (connectionString)',
    create: ({ namespace }) => new PostgresTicketStore({ connectionString: postgres.url, namespace, schema }),
    capabilities: { persistent: true, wipe },
  });

  runTicketStoreConformance({
    name: 'postgres (pool passed in)',
    create: ({ namespace }) => new PostgresTicketStore({ pool: sharedPool, namespace, schema }),
    capabilities: { persistent: true, wipe },
  });
});
