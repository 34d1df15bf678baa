import { parseOptions, secretsOfUrl } from '@ticketflow/core/adapter';
import { z } from 'zod';
import type { RedisClientLike, RedisTicketStoreOptions } from './redis-ticket-store-options.js';
import { encodeKeyPart } from './ticket-keys.js';

const CLIENT_METHODS = ['evalSha', 'eval', 'hmGet', 'lRange'] as const;
const MAX_TIMER_MS = 2_147_483_647;
const milliseconds = z.number().int().min(1).max(MAX_TIMER_MS);

/** The checked options of a store, with defaults applied. */
export interface ResolvedRedisOptions {
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

const schema = z
  .object({
    url: z.string().min(1, 'url must be a non-empty string such as redis://host:6379').optional(),
    client: z
      .custom<RedisClientLike>((value) => CLIENT_METHODS.every((method) => typeof (value as Record<string, unknown> | null)?.[method] === 'function'), {
        message: `client must be a node-redis client (with ${CLIENT_METHODS.join(', ')})`,
      })
      .optional(),
    namespace: z.string().min(1).max(256, 'namespace must be a string of 1 to 256 characters').optional(),
    ttlMs: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    connectTimeoutMs: milliseconds.optional(),
    commandTimeoutMs: milliseconds.optional(),
  })
  .superRefine((options, context) => {
    if ((options.url === undefined) === (options.client === undefined)) context.addIssue({ code: 'custom', message: 'give exactly one of url and client' });
  });

/**
 * Checks the options of `RedisTicketStore`.
 * @throws {ConfigurationError} listing every problem: unknown keys (with the closest valid one), bad values.
 */
export function checkRedisOptions(options: RedisTicketStoreOptions): ResolvedRedisOptions {
  const parsed = parseOptions(schema, options, 'RedisTicketStore');
  return {
    url: parsed.url,
    client: parsed.client,
    encodedNamespace: encodeKeyPart(parsed.namespace ?? 'default'),
    ttl: parsed.ttlMs === undefined ? '0' : String(parsed.ttlMs),
    connectTimeoutMs: parsed.connectTimeoutMs ?? 5_000,
    commandTimeoutMs: parsed.commandTimeoutMs ?? 5_000,
    secrets: secretsOfUrl(parsed.url),
  };
}
