import { describe, expect, it } from 'vitest';
import { UsageError } from './cli-arguments.js';
import { parseStoreSpec } from './store-spec.js';

function problem(value: string): string {
  try {
    parseStoreSpec(value, '/app');
  } catch (error) {
    if (error instanceof UsageError) return error.issues.join('\n');
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('--store', () => {
  it('reads sqlite:<file> relative to the working directory, or absolute', () => {
    expect(parseStoreSpec('sqlite:./data/tickets.db', '/app')).toEqual({
      kind: 'sqlite',
      adapter: '@ticketflow/adapter-sqlite',
      filename: '/app/data/tickets.db',
      shown: 'sqlite:/app/data/tickets.db',
    });
    expect(parseStoreSpec('sqlite:/var/lib/t.db', '/app')).toMatchObject({ filename: '/var/lib/t.db' });
  });

  it('reads postgres and redis URLs, and never shows their password', () => {
    const postgres = parseStoreSpec('postgresql://app:s3cr3t-pw@db.internal:5432/support', '/app');
    expect(postgres).toMatchObject({
      kind: 'postgres',
      adapter: '@ticketflow/adapter-postgres',
      connectionString: 'postgresql://app:s3cr3t-pw@db.internal:5432/support',
    });
    expect(postgres.shown).not.toContain('s3cr3t-pw');
    expect(parseStoreSpec('rediss://:t0ken-value@cache:6380/2', '/app')).toMatchObject({
      kind: 'redis',
      adapter: '@ticketflow/adapter-redis',
      url: 'rediss://:t0ken-value@cache:6380/2',
    });
    expect(problem('postgres://app:s3cr3t-pw@')).not.toContain('s3cr3t-pw');
  });

  it('refuses memory, an in-memory or empty SQLite file, a URL without host, and names the closest scheme', () => {
    expect(problem('memory:')).toMatch(/MemoryTicketStore lives inside one process/);
    expect(problem('sqlite:')).toMatch(/needs a file/);
    expect(problem('sqlite::memory:')).toMatch(/holds no recorded tickets/);
    expect(problem('redis://')).toMatch(/not a valid redis URL/);
    expect(problem('postgres:db')).toMatch(/not a postgres URL: write postgres:\/\/host:port/);
    expect(problem('sqlit:./t.db')).toMatch(/did you mean sqlite:\?/);
    expect(problem('postgress://h/db')).toMatch(/did you mean postgres:\?/);
    expect(problem('./tickets.db')).toMatch(/is not a store: use sqlite:<file>/);
  });
});
