import { ConfigurationError } from '@ticketflow/core';
import type { RedisClientLike, RedisTicketStoreOptions } from './redis-ticket-store-options.js';
import { encodeKeyPart } from './ticket-keys.js';

const ADAPTER = 'redis';
const CLIENT_METHODS = ['evalSha', 'eval', 'hmGet', 'lRange', 'unlink'] as const;
const MAX_TIMER_MS = 2_147_483_647;

/** The validated options of a store, with defaults applied. */
export interface ResolvedOptions {
  url: string | undefined;
  client: RedisClientLike | undefined;
  /** The namespace as it appears in keys (percent-encoded). */
  encodedNamespace: string;
  /** Retention in ms as the commit script takes it, `'0'` for none. */
  ttl: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  /** Literals to scrub from error messages: the URL's password. */
  secrets: string[];
}

/** Validates the constructor options; throws `ConfigurationError` (a programmer error) with a clear message. */
export function resolveOptions(options: RedisTicketStoreOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) invalid('options must be an object with a url or a client');
  const { url, client } = options as { url?: unknown; client?: unknown };
  if ((url === undefined) === (client === undefined)) invalid('pass exactly one of url and client');
  if (url !== undefined && (typeof url !== 'string' || url.length === 0)) invalid('url must be a non-empty string');
  if (client !== undefined) {
    const missing = CLIENT_METHODS.filter((method) => typeof (client as Record<string, unknown> | null)?.[method] !== 'function');
    if (missing.length > 0) invalid(`client must be a node-redis client (missing ${missing.join(', ')})`);
  }
  const namespace = options.namespace ?? 'default';
  if (typeof namespace !== 'string' || namespace.length === 0 || namespace.length > 256) {
    invalid('namespace must be a string of 1 to 256 characters');
  }
  return {
    url: url as string | undefined,
    client: client as RedisClientLike | undefined,
    encodedNamespace: encodeKeyPart(namespace),
    ttl: options.ttlMs === undefined ? '0' : String(positiveInteger('ttlMs', options.ttlMs, Number.MAX_SAFE_INTEGER)),
    connectTimeoutMs: positiveInteger('connectTimeoutMs', options.connectTimeoutMs ?? 5_000, MAX_TIMER_MS),
    commandTimeoutMs: positiveInteger('commandTimeoutMs', options.commandTimeoutMs ?? 5_000, MAX_TIMER_MS),
    secrets: typeof url === 'string' ? passwordsOf(url) : [],
  };
}

function positiveInteger(name: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) {
    invalid(`${name} must be a positive integer of milliseconds up to ${max}`);
  }
  return value;
}

function passwordsOf(url: string): string[] {
  let password = '';
  try {
    password = new URL(url).password;
  } catch {
    // A URL that does not parse is refused later; redactSecrets still masks `user:pass@`.
    const match = /^[a-z][a-z0-9+.-]*:\/\/[^/@]*?:([^/@]*)@/i.exec(url);
    password = match?.[1] ?? '';
  }
  if (password === '') return [];
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // keep the raw form only
  }
  return [...new Set([password, decoded])];
}

function invalid(message: string): never {
  throw new ConfigurationError({ message: `[${ADAPTER}] invalid RedisTicketStore options: ${message}` });
}
