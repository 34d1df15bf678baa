import { ConfigurationError } from '@ticketflow/core';
import type { PostgresTicketStoreOptions } from './postgres-ticket-store-options.js';

const UNSTORABLE = /[\p{Surrogate}\u0000]/u;

/** Throws one {@link ConfigurationError} listing every unusable option. */
export function checkPostgresOptions(options: PostgresTicketStoreOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigurationError({ message: 'PostgresTicketStore needs an options object: { connectionString } or { pool }' });
  }
  const issues: string[] = [];
  const hasPool = options.pool !== undefined && options.pool !== null;
  if (hasPool === (options.connectionString !== undefined)) issues.push('give exactly one of connectionString and pool');
  if (options.connectionString !== undefined && (typeof options.connectionString !== 'string' || options.connectionString.length === 0)) {
    issues.push('connectionString must be a non-empty string such as postgres://user:password@host:5432/database');
  }
  if (hasPool && typeof options.pool?.query !== 'function') issues.push('pool must have a query method, like pg.Pool');
  const { namespace, schema } = options;
  if (namespace !== undefined && (typeof namespace !== 'string' || UNSTORABLE.test(namespace))) {
    issues.push('namespace must be a string without NUL characters or lone surrogates');
  }
  if (schema !== undefined && (typeof schema !== 'string' || schema.length === 0 || UNSTORABLE.test(schema) || Buffer.byteLength(schema) > 63)) {
    issues.push('schema must be a PostgreSQL identifier of 1 to 63 bytes');
  }
  for (const name of ['connectTimeoutMs', 'queryTimeoutMs', 'maxConnections'] as const) {
    const value = options[name];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) issues.push(`${name} must be a positive integer`);
  }
  if (hasPool && (options.connectTimeoutMs !== undefined || options.maxConnections !== undefined)) {
    issues.push('connectTimeoutMs and maxConnections configure a pool the store creates; set them on the pool you pass instead');
  }
  if (issues.length > 0) throw new ConfigurationError({ message: 'Invalid PostgresTicketStore options', issues });
}
