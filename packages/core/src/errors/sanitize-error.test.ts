import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectNoSecret } from '../testing/llm-conformance-secrets.js';
import { sanitizeError } from './sanitize-error.js';

const SECRET = 'gw-token-8f3a9c2e71';

describe('sanitizeError', () => {
  it('O4 rebuilds the cause chain without the secret: messages, stacks, nested causes, response bodies', () => {
    const root = Object.assign(new Error(`connect refused for Bearer ${SECRET}`), { code: 'ECONNREFUSED', errno: -111, port: 443 });
    const http = Object.assign(new Error('HTTP 401', { cause: root }), {
      status: 401,
      body: JSON.stringify({
        error: { message: `header authorization=Bearer%20${encodeURIComponent(SECRET)} rejected`, echo: Buffer.from(`u:${SECRET}`).toString('base64') },
      }),
      url: `https://gateway.example/v1?key=${SECRET}`,
      headers: { authorization: `Bearer ${SECRET}` },
      request: { options: { headers: [`Bearer ${SECRET}`] } },
    });
    const outer = new TypeError(`fetch failed (${SECRET})`, { cause: http });
    const copy = sanitizeError(outer, [SECRET])!;
    expectNoSecret(copy, [SECRET]);
    expect(copy.name).toBe('TypeError');
    const cause = copy.cause as Error & { status: number; body: string; headers?: unknown; request?: unknown };
    expect({ status: cause.status, headers: cause.headers, request: cause.request }).toEqual({ status: 401, headers: undefined, request: undefined });
    expect(cause.body).toContain('rejected');
    const root2 = cause.cause as Error & { code: string; errno: number; port: number };
    expect({ code: root2.code, errno: root2.errno, port: root2.port, message: root2.message }).toEqual({
      code: 'ECONNREFUSED',
      errno: -111,
      port: 443,
      message: 'connect refused for Bearer ***',
    });
  });

  it('O4 copies AggregateError members, errors kept in other properties, and survives cycles', () => {
    const first = new Error(`first ${SECRET}`);
    const aggregate = new AggregateError([first, `plain ${SECRET}`], `all failed ${SECRET}`);
    const holder = Object.assign(new Error('holder'), { original: aggregate });
    (first as { cause?: unknown }).cause = holder; // a cycle
    const copy = sanitizeError(holder, [SECRET]) as Error & { original: AggregateError };
    expectNoSecret(copy, [SECRET]);
    expect(copy.original).toBeInstanceOf(AggregateError);
    expect(copy.original.errors.map((error: Error) => error.message)).toEqual(['first ***', 'plain ***']);
  });

  it('O4 a getter that throws, a non-Error cause, and huge bodies are handled', () => {
    const error = new Error('x');
    Object.defineProperty(error, 'response', {
      get: () => {
        throw new Error('no');
      },
    });
    Object.defineProperty(error, 'detail', {
      enumerable: true,
      get: () => {
        throw new Error('no');
      },
    });
    (error as { cause?: unknown }).cause = { token: SECRET, nested: [SECRET] };
    (error as { body?: string }).body = `${'x'.repeat(10_000)}${SECRET}`;
    const copy = sanitizeError(error, [SECRET]) as Error & { body: string };
    expectNoSecret(copy, [SECRET]);
    expect(copy.body.length).toBeLessThanOrEqual(4_097);
    expect((copy.cause as Error).message).toContain('"token":"***"');
    expect(sanitizeError(undefined, [SECRET])).toBeUndefined();
    expect(sanitizeError(null, [SECRET])).toBeUndefined();
    expect(sanitizeError(`just ${SECRET}`, [SECRET])?.message).toBe('just ***');
  });

  it('O4 property: an error tree with the secret anywhere, in any encoding, comes out without it', () => {
    const encodings = [(s: string) => s, encodeURIComponent, (s: string) => JSON.stringify({ s }), (s: string) => Buffer.from(`user:${s}`).toString('base64')];
    const leaf = fc.record({
      where: fc.constantFrom('message', 'body', 'url', 'stack'),
      encoding: fc.nat(encodings.length - 1),
      filler: fc.string({ maxLength: 20 }),
    });
    fc.assert(
      fc.property(
        fc.string({ minLength: 8, maxLength: 30 }).filter((s) => s.trim().length >= 8),
        fc.array(leaf, { minLength: 1, maxLength: 5 }),
        (secret, leaves) => {
          let error: Error | undefined;
          for (const { where, encoding, filler } of leaves) {
            const text = `${filler}${encodings[encoding]!(secret)}${filler}`;
            const next = new Error(where === 'message' ? text : 'failed', error ? { cause: error } : undefined) as Error & Record<string, unknown>;
            if (where !== 'message') next[where] = text;
            error = next;
          }
          const copy = sanitizeError(error, [secret]);
          expectNoSecret(copy, [secret]);
          expect(inspect(copy, { depth: 20 }).includes(secret)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});
