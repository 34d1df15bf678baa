import { inspect } from 'node:util';
import { StoreError } from '@ticketflow/core';
import { ClientClosedError, ClientOfflineError, ErrorReply, SimpleError } from 'redis';
import { describe, expect, it } from 'vitest';
import { toRedisStoreError as toStoreError } from './to-redis-store-error.js';

/** An ErrorReply from another copy of node-redis: recognised by its class name. */
class ForeignErrorReply extends Error {}
Object.defineProperty(ForeignErrorReply, 'name', { value: 'ErrorReply' });

const SECRET = 'SuperSecret123';

describe('toStoreError', () => {
  it.each([
    ['LOADING Redis is loading the dataset in memory', 'unavailable', true],
    ["READONLY You can't write against a read only replica.", 'unavailable', true],
    ['CLUSTERDOWN The cluster is down', 'unavailable', true],
    ['MASTERDOWN Link with MASTER is down', 'unavailable', true],
    ['TRYAGAIN Multiple keys request during rehashing of slot', 'unavailable', true],
    ['BUSY Redis is busy running a script', 'unavailable', true],
    ["OOM command not allowed when used memory > 'maxmemory'.", 'unavailable', true],
    ['MOVED 3999 127.0.0.1:6381', 'unavailable', true],
    ['WRONGPASS invalid username-password pair or user is disabled.', 'unavailable', false],
    ['NOAUTH Authentication required.', 'unavailable', false],
    ['WRONGTYPE Operation against a key holding the wrong kind of value', 'corrupt', false],
    ['TFCORRUPT the stored version is not a positive integer', 'corrupt', false],
    ['ERR string exceeds maximum allowed size (proto-max-bulk-len)', 'invalid', false],
  ] as const)('maps the reply %s', (message, kind, retryable) => {
    for (const error of [new SimpleError(message), new ErrorReply(message), new ForeignErrorReply(message)]) {
      const mapped = toStoreError(error, 'commit', []);
      expect(StoreError.isInstance(mapped)).toBe(true);
      expect(mapped.kind).toBe(kind);
      expect(mapped.retryable).toBe(retryable);
      expect(mapped.adapter).toBe('redis');
      expect(mapped.message).toBe(`[redis] commit failed: ${message}`);
    }
  });

  it('maps connection failures and client states to unavailable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect', port: 1 });
    const both = new AggregateError([refused, new Error('connect ECONNREFUSED ::1:1')]);
    Object.assign(both, { code: 'ECONNREFUSED' });
    for (const error of [refused, both, new ClientClosedError(), new ClientOfflineError(), new Error('Socket closed unexpectedly')]) {
      const mapped = toStoreError(error, 'load', []);
      expect(mapped.kind).toBe('unavailable');
      expect(mapped.retryable).toBe(true);
    }
    const mapped = toStoreError(both, 'load', []);
    expect(mapped.message).toContain('ECONNREFUSED');
    expect((mapped.cause as Error & { code: string }).code).toBe('ECONNREFUSED');
    expect((mapped.cause as AggregateError).errors).toHaveLength(2);
  });

  it('says whether a failed write may have been applied (outcome)', () => {
    const reset = Object.assign(new Error('Socket closed unexpectedly'), { name: 'SocketClosedUnexpectedlyError' });
    expect(toStoreError(new ErrorReply('BUSY Redis is busy running a script'), 'commit', []).outcome).toBe('not_applied');
    expect(toStoreError(new ClientOfflineError(), 'commit', []).outcome).toBe('not_applied');
    expect(toStoreError(new ClientClosedError(), 'commit', []).outcome).toBe('not_applied');
    expect(toStoreError(reset, 'commit', []).outcome).toBe('unknown');
    expect(toStoreError(new Error('Redis did not answer within 5000 ms'), 'purge', []).outcome).toBe('unknown');
    expect(toStoreError(new Error('Redis did not answer within 5000 ms'), 'commit', [], 'connect').outcome).toBe('not_applied');
    expect(toStoreError(reset, 'load', []).outcome).toBe('not_applied');
    expect(toStoreError(reset, 'commit', []).message).toContain('outcome unknown');
  });

  it('passes a StoreError through unchanged', () => {
    const original = new StoreError({ kind: 'corrupt', adapter: 'redis', message: 'x' });
    expect(toStoreError(original, 'load', [])).toBe(original);
  });

  it('never carries the password, in the message or anywhere in the cause', () => {
    const url = `redis://user:${SECRET}@10.0.0.1:6379`;
    const inner = Object.assign(new Error(`auth with ${SECRET} refused`), { code: 'EAUTH', url, options: { url, password: SECRET } });
    const outer = new Error(`connecting to ${url} failed`, { cause: inner });
    const aggregate = new AggregateError([outer, new TypeError(`Invalid URL ${url}`)], `failed for ${url}`);
    for (const error of [inner, outer, aggregate]) {
      const mapped = toStoreError(error, 'load', [SECRET]);
      const everything = `${mapped.message}\n${inspect(mapped, { depth: 20, showHidden: true })}\n${JSON.stringify(mapped.cause)}`;
      expect(everything).not.toContain(SECRET);
    }
    const cause = toStoreError(inner, 'load', [SECRET]).cause as Error & { code?: string; options?: unknown };
    expect(cause).toBeInstanceOf(Error);
    expect(cause.code).toBe('EAUTH');
    expect(cause.options).toBeUndefined();
  });
});
