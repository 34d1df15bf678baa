import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact.js';
import { secretVariants } from './secret-variants.js';

/** How a server, a proxy or an SDK may put a secret back into a text, written independently of the scrubber. */
const ENCODINGS: Record<string, (secret: string) => string> = {
  raw: (secret) => secret,
  percent: (secret) => encodeURIComponent(secret),
  'percent, lower-case hex': (secret) => encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
  'form-encoded': (secret) => new URLSearchParams({ q: secret }).toString().slice(2),
  'percent, twice': (secret) => encodeURIComponent(encodeURIComponent(secret)),
  'JSON string': (secret) => JSON.stringify({ header: secret }),
  'JSON string inside a JSON string': (secret) => JSON.stringify({ error: { message: JSON.stringify({ header: secret }) } }),
  'JSON, ASCII-only (Python ensure_ascii)': (secret) =>
    JSON.stringify(secret).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  base64: (secret) => Buffer.from(secret).toString('base64'),
  base64url: (secret) => Buffer.from(secret).toString('base64url'),
  'Basic auth (user:secret)': (secret) => `Authorization: Basic ${Buffer.from(`gateway-user:${secret}`).toString('base64')}`,
  'Basic auth, other user': (secret) => `Basic ${Buffer.from(`ab:${secret}`).toString('base64')}`,
  'base64 of a JSON document': (secret) => Buffer.from(JSON.stringify({ token: secret, n: 1 })).toString('base64'),
  'HTML page': (secret) =>
    `<pre>${secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')}</pre>`,
  'Bearer header': (secret) => `authorization: Bearer ${secret}`,
};

/** Every way the secret could still be read from `text`: literally in some decoding (or two chained) of it. */
function recoverable(text: string, secret: string): string[] {
  const decoders: [string, (input: string) => string][] = [
    ['percent-decoded', decodePercent],
    ['form-decoded', (input) => decodePercent(input.replace(/\+/g, ' '))],
    ['JSON-unescaped', unescapeJson],
    [
      'HTML-unescaped',
      (input) => input.replace(/&(amp|lt|gt|quot|#39);/g, (_m, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? ''),
    ],
  ];
  const layers: [string, string][] = [['text', text]];
  for (const [first, decodeFirst] of decoders) {
    const once = decodeFirst(text);
    layers.push([first, once]);
    for (const [second, decodeSecond] of decoders) layers.push([`${first}, then ${second}`, decodeSecond(once)]);
  }
  for (const run of text.match(/[A-Za-z0-9+/_-]{4,}/g) ?? []) {
    for (let shift = 0; shift < 4; shift += 1) {
      const decoded = Buffer.from(run.slice(shift).replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
      layers.push([`base64 run ${run} from ${shift}`, decoded], [`base64 run ${run} from ${shift}, JSON-unescaped`, unescapeJson(decoded)]);
    }
  }
  return layers.filter(([, decoded]) => decoded.includes(secret)).map(([where]) => where);
}

/** Decodes every run of valid %XX escapes, leaving stray `%` alone. */
function decodePercent(text: string): string {
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}

function unescapeJson(text: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };
  return text.replace(/\\(u[0-9a-f]{4}|[ntrbf"\\/])/gi, (_m, escape: string) =>
    escape.length === 5 ? String.fromCharCode(parseInt(escape.slice(1), 16)) : (simple[escape] ?? escape),
  );
}

const secretArbitrary = fc
  .oneof(
    fc.string({ minLength: 8, maxLength: 40, unit: 'grapheme' }),
    fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/),
    fc.string({ minLength: 8, maxLength: 24, unit: fc.constantFrom(...'aZ9 :/?#[]@!$&\'()*+,;=%"\\<>é€😀\n\t') }),
  )
  .filter((secret) => secret.trim().length >= 8);
const textArbitrary = fc.string({ maxLength: 60, unit: 'grapheme-ascii' });

describe('redactSecrets', () => {
  for (const [name, encode] of Object.entries(ENCODINGS)) {
    it(`O4 no random secret can be read back after scrubbing, ${name}, inside random text`, () => {
      fc.assert(
        fc.property(secretArbitrary, textArbitrary, textArbitrary, (secret, before, after) => {
          fc.pre(!/%[0-9a-f]?$/i.test(before)); // a stray '%' right before would garble any decoder, not just the check
          const text = `${before}${encode(secret)}${after}`;
          expect(recoverable(text, secret).length, 'the check can see the secret before scrubbing').toBeGreaterThan(0);
          const scrubbed = redactSecrets(text, [secret]);
          expect(recoverable(scrubbed, secret), scrubbed).toEqual([]);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('O4 scrubs every secret of a list, each in several encodings at once', () => {
    fc.assert(
      fc.property(fc.uniqueArray(secretArbitrary, { minLength: 1, maxLength: 4 }), textArbitrary, (secrets, filler) => {
        const text = secrets.flatMap((secret) => Object.values(ENCODINGS).map((encode) => `${filler}${encode(secret)}`)).join(' | ');
        const scrubbed = redactSecrets(text, secrets);
        for (const secret of secrets) expect(recoverable(scrubbed, secret)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('leaves text without secrets as it was', () => {
    const text = 'HTTP 503: the model is overloaded; retry in 26s (request 7f3a, see https://ai.google.dev/gemini-api/docs)';
    expect(redactSecrets(text, ['tf-key-12345678', 'Bearer gw-abcdef123456', undefined, null])).toBe(text);
    expect(redactSecrets('no secrets given')).toBe('no secrets given');
  });

  it('ignores secrets shorter than 4 characters (they would mangle ordinary words)', () => {
    expect(redactSecrets('the abc of it', ['abc'])).toBe('the abc of it');
    expect(secretVariants('abc')).toEqual([]);
  });

  it('O4 masks URL passwords, credential parameters and echoed credential headers it was not told about', () => {
    expect(redactSecrets('connect postgres://app:hunter2@db:5432/x failed')).toBe('connect postgres://app:***@db:5432/x failed');
    expect(redactSecrets('GET /v1/models?key=AIzaSyA-123&alt=json')).toBe('GET /v1/models?key=***&alt=json');
    expect(redactSecrets('{"Authorization":"Bearer abc.def.ghi","x-goog-api-key":"AIza123"}')).toBe('{"Authorization":"Bearer ***","x-goog-api-key":"***"}');
    expect(redactSecrets('proxy-authorization: Basic dXNlcjpwYXNz\nhost: x')).toBe('proxy-authorization: Basic ***\nhost: x');
  });

  it('O4 the variants of a secret cover its encodings, longest first, without duplicates', () => {
    const variants = secretVariants('p@ss word/€');
    expect(variants).toContain('p@ss word/€');
    expect(variants).toContain('p%40ss%20word%2F%E2%82%AC');
    expect(variants).toContain('p%40ss+word%2F%E2%82%AC');
    expect(variants).toContain('p@ss word\\/€');
    expect(variants).toContain('p@ss word/\\u20ac');
    expect(variants).toContain(Buffer.from('p@ss word/€').toString('base64').replace(/=+$/, '').slice(0, -1));
    expect(new Set(variants).size).toBe(variants.length);
    expect([...variants].sort((a, b) => b.length - a.length)).toEqual(variants);
  });
});

describe('redactSecrets with maxLength', () => {
  it('O4 cuts after scrubbing: no secret is ever cut in half at the end of a cut message', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9]{12,30}$/),
        fc.string({ maxLength: 400, unit: fc.constantFrom(...'ABC .,:-\n') }),
        fc.string({ maxLength: 400, unit: fc.constantFrom(...'ABC .,:-\n') }),
        fc.integer({ min: 8, max: 300 }),
        fc.constantFrom<(secret: string) => string>(
          (s) => s,
          (s) => Buffer.from(s).toString('base64'),
          (s) => `Bearer ${s}`,
        ),
        (secret, before, after, maxLength, encode) => {
          const text = `${before}${encode(secret)}${after}`;
          const scrubbed = redactSecrets(text, [secret], { maxLength });
          expect(scrubbed.length).toBeLessThanOrEqual(maxLength + 1);
          expect(scrubbed.includes(secret.slice(0, 6))).toBe(false);
          expect(scrubbed.includes(Buffer.from(secret).toString('base64').slice(0, 8))).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('scrubs only the part of a long text that can reach the result', () => {
    const page = `tok-123456789 ${'<p>lorem ipsum dolor sit amet</p>\n'.repeat(30_000)}`;
    expect(redactSecrets(page, ['tok-123456789'], { maxLength: 500 })).toMatch(/^\*\*\* <p>lorem[^]*…$/);
    expect(redactSecrets(page, ['tok-123456789'], { maxLength: 500 })).toHaveLength(501);
  });
});
