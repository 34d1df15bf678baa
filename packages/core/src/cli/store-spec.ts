import { isAbsolute, resolve } from 'node:path';
import { closestName } from '../config/closest-name.js';
import { redactSecrets } from '../errors/redact.js';
import { secretsOfUrl } from '../errors/secrets-of-url.js';
import { quoteArgument, UsageError } from './cli-arguments.js';

/** Which store `--store` names, and the adapter package that opens it. */
export type StoreSpec =
  | { kind: 'sqlite'; adapter: '@ticketflow/adapter-sqlite'; filename: string; shown: string }
  | { kind: 'postgres'; adapter: '@ticketflow/adapter-postgres'; connectionString: string; shown: string }
  | { kind: 'redis'; adapter: '@ticketflow/adapter-redis'; url: string; shown: string };

const SCHEMES = ['sqlite', 'postgres', 'postgresql', 'redis', 'rediss'] as const;

/**
 * Reads `--store`: `sqlite:<file>` (relative to `cwd`), `postgres://…` / `postgresql://…`, or
 * `redis://…` / `rediss://…` — the values `TICKETFLOW_STORE` takes in the example. `shown` is
 * the value without its password, for messages.
 * @throws {UsageError} for another scheme (with the closest valid one), `memory`, an empty
 * or in-memory SQLite file, or a URL that does not parse.
 */
export function parseStoreSpec(value: string, cwd: string): StoreSpec {
  const shown = redactSecrets(value, secretsOfUrl(value));
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'sqlite') return sqliteSpec(value.slice('sqlite:'.length), cwd);
  if (scheme === 'memory') {
    throw new UsageError([
      '--store memory: cannot be replayed: a MemoryTicketStore lives inside one process; give the store your app writes to (sqlite:<file>, postgres://… or redis://…)',
    ]);
  }
  if (scheme === 'postgres' || scheme === 'postgresql' || scheme === 'redis' || scheme === 'rediss') {
    if (!value.toLowerCase().startsWith(`${scheme}://`))
      throw new UsageError([`--store ${quoteArgument(shown)} is not a ${scheme} URL: write ${scheme}://host:port/…`]);
    if (!hasHost(value)) throw new UsageError([`--store ${quoteArgument(shown)} is not a valid ${scheme} URL (no host)`]);
    return scheme.startsWith('postgres')
      ? { kind: 'postgres', adapter: '@ticketflow/adapter-postgres', connectionString: value, shown }
      : { kind: 'redis', adapter: '@ticketflow/adapter-redis', url: value, shown };
  }
  const guess = scheme === undefined ? undefined : closestName(scheme, SCHEMES);
  const what = scheme === undefined ? quoteArgument(shown) : `with the scheme ${quoteArgument(`${scheme}:`)}`;
  throw new UsageError([`--store ${what} is not a store${guess ? ` (did you mean ${guess}:?)` : ''}: use sqlite:<file>, postgres://… or redis://…`]);
}

function sqliteSpec(file: string, cwd: string): StoreSpec {
  if (file === '') throw new UsageError(['--store sqlite: needs a file, e.g. sqlite:./data/tickets.db']);
  if (file === ':memory:') throw new UsageError(['--store sqlite::memory: holds no recorded tickets: give the file your app writes to']);
  const filename = isAbsolute(file) ? file : resolve(cwd, file);
  return { kind: 'sqlite', adapter: '@ticketflow/adapter-sqlite', filename, shown: `sqlite:${filename}` };
}

function hasHost(value: string): boolean {
  try {
    return new URL(value).hostname !== '';
  } catch {
    return false;
  }
}
