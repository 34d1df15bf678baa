import type { BaseCheckpointSaver } from '@langchain/langgraph';
import pg from 'pg';
import { countingPool, POOL_SETTINGS } from '../drivers/counting-postgres.js';
import { countSqliteCalls } from '../drivers/counting-sqlite.js';
import type { CallCounter } from '../measure/interleave.js';

/** LangGraph's checkpointer on one backend. */
export interface PeerSaver {
  saver: BaseCheckpointSaver;
  label: string;
  close(): Promise<void>;
}

type PeerOptions = { filename?: string; connectionString?: string; schema?: string };

/**
 * Opens LangGraph's own checkpointer for a backend, as its documentation shows:
 * `MemorySaver`; `SqliteSaver` on a better-sqlite3 database of a temp file (it sets WAL
 * itself; opened with better-sqlite3's defaults, as `SqliteSaver.fromConnString` does);
 * `PostgresSaver` on a pg pool with the same settings as ticketflow's, after `setup()`.
 * With a `counter`, the driver counts its calls (for the count pass, never timed).
 * A failure (e.g. the packages are not installed) is returned as a note, not thrown.
 */
export async function openPeerSaver(
  kind: 'memory' | 'sqlite' | 'postgres',
  options: PeerOptions = {},
  counter?: CallCounter,
): Promise<PeerSaver | { missing: string }> {
  try {
    if (kind === 'memory') {
      const { MemorySaver } = await import('@langchain/langgraph');
      return { saver: new MemorySaver(), label: 'MemorySaver', close: async () => {} };
    }
    if (kind === 'sqlite') {
      const [{ SqliteSaver }, { default: Database }] = await Promise.all([import('@langchain/langgraph-checkpoint-sqlite'), import('better-sqlite3')]);
      const database = new Database(options.filename!);
      const saver = new SqliteSaver(counter ? countSqliteCalls(database, counter) : database);
      return { saver, label: 'SqliteSaver', close: async () => void database.close() };
    }
    const { PostgresSaver } = await import('@langchain/langgraph-checkpoint-postgres');
    const pool = counter ? countingPool(options.connectionString!, counter) : new pg.Pool({ connectionString: options.connectionString!, ...POOL_SETTINGS });
    pool.on('error', () => {});
    const saver = new PostgresSaver(pool as never, undefined, { schema: options.schema! });
    await saver.setup();
    return {
      saver,
      label: 'PostgresSaver',
      close: async () => {
        // The timed saver (no counter) owns the schema; the counting one shares it.
        if (!counter) await pool.query(`DROP SCHEMA IF EXISTS "${options.schema!}" CASCADE`);
        await pool.end();
      },
    };
  } catch (error) {
    return { missing: `LangGraph.js ${kind} checkpointer could not be opened: ${error instanceof Error ? error.message : String(error)}` };
  }
}
