import type { CallCounter } from '../measure/interleave.js';

const COUNTED_STATEMENT_METHODS = new Set<PropertyKey>(['run', 'get', 'all', 'iterate']);

/**
 * A better-sqlite3 `Database` whose statements count their executions: every `run`, `get`,
 * `all` or `iterate` of a prepared statement and every `exec` adds one to `counter`. The
 * rest of the database (pragma, transaction, close…) passes through untouched, so it can be
 * given to `SqliteTicketStore({ database })` and to LangGraph's `SqliteSaver` alike.
 */
export function countSqliteCalls<Database extends object>(database: Database, counter: CallCounter): Database {
  return new Proxy(database, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property === 'prepare') {
        return (...parameters: unknown[]) => countStatement((value as (...args: unknown[]) => object).apply(target, parameters), counter);
      }
      if (property === 'exec') {
        return (...parameters: unknown[]) => {
          counter.count += 1;
          return (value as (...args: unknown[]) => unknown).apply(target, parameters);
        };
      }
      return (value as (...args: unknown[]) => unknown).bind(target);
    },
  });
}

function countStatement<Statement extends object>(statement: Statement, counter: CallCounter): Statement {
  return new Proxy(statement, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (COUNTED_STATEMENT_METHODS.has(property)) {
        return (...parameters: unknown[]) => {
          counter.count += 1;
          return (value as (...args: unknown[]) => unknown).apply(target, parameters);
        };
      }
      return (value as (...args: unknown[]) => unknown).bind(target);
    },
  });
}
