import { statSync } from 'node:fs';
import type { TicketStore } from '../store/ticket-store.js';
import { UsageError } from './cli-arguments.js';
import { importFromApp, MissingPackageError } from './import-from-app.js';
import type { StoreSpec } from './store-spec.js';

/** Where the store is and how it is scoped: `--store`, `--namespace`, `--schema`. */
export interface StoreTarget {
  spec: StoreSpec;
  namespace?: string;
  schema?: string;
}

const CONSTRUCTORS = { sqlite: 'SqliteTicketStore', postgres: 'PostgresTicketStore', redis: 'RedisTicketStore' } as const;

/**
 * Opens the store `--store` names with the adapter package the app installed (imported
 * only now, so an app installs only the adapter it uses), as seen from `directories` (the
 * working directory, then the agent module's). A SQLite file must exist: the command reads
 * recorded tickets and never creates a store.
 * @throws {UsageError} for a missing adapter package or SQLite file, or `--schema` on a store without schemas.
 */
export async function openStore(target: StoreTarget, directories: readonly string[]): Promise<TicketStore> {
  const { spec } = target;
  if (target.schema !== undefined && spec.kind !== 'postgres') throw new UsageError([`--schema is for PostgreSQL stores; ${spec.kind} has no schemas`]);
  if (spec.kind === 'sqlite') checkFile(spec.filename);
  const adapter = await importAdapter(spec, directories);
  const constructor = (adapter[CONSTRUCTORS[spec.kind]] ?? (adapter.default as Record<string, unknown> | undefined)?.[CONSTRUCTORS[spec.kind]]) as
    (new (options: object) => TicketStore) | undefined;
  if (typeof constructor !== 'function')
    throw new UsageError([`${spec.adapter} does not export ${CONSTRUCTORS[spec.kind]}: is it a ticketflow store adapter of this version?`]);
  const namespace = target.namespace !== undefined ? { namespace: target.namespace } : {};
  switch (spec.kind) {
    case 'sqlite':
      return new constructor({ filename: spec.filename, ...namespace });
    case 'postgres':
      return new constructor({
        connectionString: spec.connectionString,
        connectTimeoutMs: 5_000,
        ...namespace,
        ...(target.schema !== undefined ? { schema: target.schema } : {}),
      });
    case 'redis':
      return new constructor({ url: spec.url, connectTimeoutMs: 5_000, ...namespace });
  }
}

async function importAdapter(spec: StoreSpec, directories: readonly string[]): Promise<Record<string, unknown>> {
  try {
    return await importFromApp(spec.adapter, directories);
  } catch (error) {
    if (error instanceof MissingPackageError) {
      throw new UsageError([
        `--store ${spec.kind === 'sqlite' ? 'sqlite:' : `${spec.kind}://`}… needs ${spec.adapter}, which is not installed here: npm install ${spec.adapter}`,
      ]);
    }
    throw error;
  }
}

function checkFile(filename: string): void {
  let stats;
  try {
    stats = statSync(filename);
  } catch {
    throw new UsageError([`--store: there is no SQLite file at ${filename} (the command only reads a store; it never creates one)`]);
  }
  if (!stats.isFile()) throw new UsageError([`--store: ${filename} is not a file`]);
  if (stats.size === 0) throw new UsageError([`--store: ${filename} is empty: it holds no recorded tickets`]);
}
