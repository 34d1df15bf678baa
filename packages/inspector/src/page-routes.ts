import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem } from './http-problem.js';
import { chooseEncoding, type StaticAsset } from './static-assets.js';

/**
 * The page's own policy: every script, style and request comes from this origin (nothing
 * from a CDN), no inline script, no framing, no form posts elsewhere.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the built page: `index.html` at the prefix's root (a request for the prefix
 * without its trailing slash is redirected, so the page's relative asset URLs resolve),
 * and the hashed files under `assets/`. Conditional requests get 304; compressed variants
 * go to clients that accept them.
 */
export function registerPageRoutes(app: FastifyInstance, assets: ReadonlyMap<string, StaticAsset>): void {
  const index = assets.get('index.html');
  if (!index) throw new Error('inspector: the built page has no index.html');

  app.get('/', async (request, reply) => {
    const [path, query] = splitUrl(request.url);
    if (!path.endsWith('/')) return reply.redirect(`${path}/${query}`, 308);
    return sendAsset(request, reply, index, true);
  });

  app.get('/*', async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    const asset = assets.get(path);
    if (!asset || path === 'index.html') throw new HttpProblem(404, 'not_found', 'There is no such file in the inspector.');
    return sendAsset(request, reply, asset, false);
  });
}

function splitUrl(url: string): [string, string] {
  const at = url.indexOf('?');
  return at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at)];
}

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: StaticAsset, isPage: boolean): FastifyReply {
  reply
    .header('content-type', asset.contentType)
    .header('cache-control', asset.cacheControl)
    .header('etag', asset.etag)
    .header('vary', 'accept-encoding')
    .header('x-content-type-options', 'nosniff');
  if (isPage) {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY).header('referrer-policy', 'no-referrer').header('x-frame-options', 'DENY');
  }
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === asset.etag)) {
    return reply.code(304).send();
  }
  const { body, encoding } = chooseEncoding(asset, request.headers['accept-encoding']);
  if (encoding) reply.header('content-encoding', encoding);
  return reply.header('content-length', body.length).send(body);
}
