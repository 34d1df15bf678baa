import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspector } from '../src/index.js';
import { createTestApp } from './support/test-app.js';
import { createTestAgent } from './support/test-agent.js';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.app.close());

async function page() {
  const response = await t.app.inject({ url: '/inspector/' });
  const scripts = [...response.body.matchAll(/src="\.\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]!);
  const styles = [...response.body.matchAll(/href="\.\/(assets\/[^"]+\.css)"/g)].map((match) => match[1]!);
  return { response, scripts, styles };
}

describe('the page and its files', () => {
  it("redirects the bare prefix to its trailing slash (the page's asset URLs are relative), keeping the query", async () => {
    const response = await t.app.inject({ url: '/inspector?x=1' });
    expect(response.statusCode).toBe(308);
    expect(response.headers.location).toBe('/inspector/?x=1');
  });

  it('serves the page without a credential, with a strict content security policy and revalidation', async () => {
    const { response, scripts, styles } = await page();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    expect(t.calls).toEqual([]);
  });

  it('loads nothing from another site: every URL in the page and its files is relative', async () => {
    const { response, scripts, styles } = await page();
    expect(response.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    for (const path of [...scripts, ...styles]) {
      const body = (await t.app.inject({ url: `/inspector/${path}` })).body;
      expect(body, path).not.toMatch(/\b(import|url)\s*\(\s*["']?(https?:)?\/\//);
      expect(body, path).not.toMatch(/from\s*["'](https?:)?\/\//);
    }
  });

  it('serves the hashed files with their content types, immutable, and 304 on a matching ETag', async () => {
    const { scripts, styles } = await page();
    const script = await t.app.inject({ url: `/inspector/${scripts[0]}` });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const style = await t.app.inject({ url: `/inspector/${styles[0]}` });
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    const favicon = await t.app.inject({ url: '/inspector/favicon.svg' });
    expect(favicon.headers['content-type']).toBe('image/svg+xml');
    const again = await t.app.inject({ url: `/inspector/${scripts[0]}`, headers: { 'if-none-match': String(script.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const head = await t.app.inject({ method: 'HEAD', url: `/inspector/${scripts[0]}` });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(script.rawPayload.length));
  });

  it('sends brotli or gzip to clients that accept them, the same bytes once decoded', async () => {
    const { scripts } = await page();
    const url = `/inspector/${scripts[0]}`;
    const plain = (await t.app.inject({ url })).rawPayload;
    const brotli = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers.vary).toBe('accept-encoding');
    expect(brotliDecompressSync(brotli.rawPayload).equals(plain)).toBe(true);
    const gzip = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip, br;q=0' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).equals(plain)).toBe(true);
    expect(brotli.rawPayload.length).toBeLessThan(plain.length / 2);
  });

  it('answers 404 for a file that is not part of the page, and cannot be walked out of it', async () => {
    for (const url of [
      '/inspector/assets/nope.js',
      '/inspector/index.html',
      '/inspector/../package.json',
      '/inspector/assets/..%2F..%2Fpackage.json',
      '/inspector/%2e%2e/%2e%2e/package.json',
      '/inspector/api/nope',
    ]) {
      const response = await t.app.inject({ url });
      expect(response.statusCode, url).toBe(404);
    }
    const unknown = await t.app.inject({ url: '/inspector/assets/nope.js' });
    expect(unknown.json()).toEqual({ error: { code: 'not_found', message: 'There is no such file in the inspector.' } });
  });

  it('mounts under any prefix, and at the root without one', async () => {
    const app = Fastify({ logger: false });
    await app.register(inspector, { agent: createTestAgent().agent, authorize: () => true, prefix: '/ops/tickets' });
    await app.register(inspector, { agent: createTestAgent().agent, authorize: () => true });
    expect((await app.inject({ url: '/ops/tickets/' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/ops/tickets/api/session' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/' })).headers['content-type']).toBe('text/html; charset=utf-8');
    expect((await app.inject({ url: '/api/queues' })).statusCode).toBe(200);
    await app.close();
  });
});
