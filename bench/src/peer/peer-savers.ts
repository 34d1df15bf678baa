import type { BaseCheckpointSaver } from '@langchain/langgraph';
import { countingPool } from '../drivers/counting-postgres.js';
import { countSqliteCalls } from '../drivers/counting-sqlite.js';
import type { CallCounter } from '../measure/interleave.js';

/** LangGraph's checkpointer on one backend, with its driver calls counted like ticketflow's. */
export interface PeerSaver {
  saver: BaseCheckpointSaver;
  label: string;
  counter?: CallCounter;
  close(): Promise<void>;
}

/**
 * Opens LangGraph's own checkpointer for a backend, as its documentation shows:
 * `MemorySaver`; `SqliteSaver` on a better-sqlite3 database of a temp file (it sets WAL
 * itself; opened with better-sqlite3's defaults, as `SqliteSaver.fromConnString` does);
 * `PostgresSaver` on a pg pool with the same settings as ticketflow's, after `setup()`.
 * A failure (e.g. the packages are not installed) is returned as a note, not thrown.
 */
export async function openPeerSaver(kind: 'memory'): Promise<PeerSaver | { missing: string }>;
export async function openPeerSaver(kind: 'sqlite', options: { filename: string }): Promise<PeerSaver | { missing: string }>;
export async function openPeerSaver(kind: 'postgres', options: { connectionString: string; schema: string }): Promise<PeerSaver | { missing: string }>;
export async function openPeerSaver(kind: 'memory' | 'sqlite' | 'postgres', options?: { filename?: string; connectionString?: string; schema?: string }): Promise<PeerSaver | { missing: string }> {
  try {
    if (kind === 'memory') {
      const { MemorySaver } = await import('@langchain/langgraph');
      return { saver: new MemorySaver(), label: 'MemorySaver', close: async () => {} };
    }
    const counter: CallCounter = { count: 0 };
    if (kind === 'sqlite') {
      const [{ SqliteSaver }, { default: Database }] = await Promise.all([import('@langchain/langgraph-checkpoint-sqlite'), import('better-sqlite3')]);
      const database = new Database(options!.filename!);
      const saver = new SqliteSaver(countSqliteCalls(database, counter));
      return {
        saver,
        label: 'SqliteSaver',
        counter,
        close: async () => {
          database.close();
        },
      };
    }
    const { PostgresSaver } = await import('@langchain/langgraph-checkpoint-postgres');
    const pool = countingPool(options!.connectionString!, counter);
    const saver = new PostgresSaver(pool as never, undefined, { schema: options!.schema! });
    await saver.setup();
    return {
      saver,
      label: 'PostgresSaver',
      counter,
      close: async () => {
        await pool.query(`DROP SCHEMA IF EXISTS "${options!.schema!}" CASCADE`);
        await pool.end();
      },
    };
  } catch (error) {
    return { missing: `LangGraph.js ${kind} checkpointer could not be opened: ${error instanceof Error ? error.message : String(error)}` };
  }
}
