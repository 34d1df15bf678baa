import type { FastifyInstance } from 'fastify';
import { duplicateJsonKey } from './duplicate-json-key.js';
import { HttpError } from './http-error.js';
import type { RouteConfig } from './route-contract.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The server's JSON body parser: Fastify's own (keys like `__proto__` refused), with two
 * changes a client can rely on:
 * - an empty body with `Content-Type: application/json` is no body on the routes whose body
 *   is optional (approve, reject, release), as many HTTP client wrappers send it; elsewhere
 *   it stays a 400 `invalid_json`;
 * - a body that is not well-formed UTF-8 is a 400 `invalid_json`, never read with
 *   replacement characters (which would store text the client did not send);
 * - an object with the same key twice is a 400 `invalid_json`: parsers disagree on which
 *   value wins, so a proxy or a log could read another message than the server.
 */
export function parseJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    const config = request.routeOptions.config as Partial<RouteConfig> | undefined;
    if (bytes.length === 0 && config?.contract?.bodyOptional) {
      done(null, undefined);
      return;
    }
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      done(new HttpError(400, 'invalid_json', 'The body is not well-formed UTF-8.'), undefined);
      return;
    }
    parseJson(request, text, (error: Error | null, value?: unknown) => {
      const repeated = error ? null : duplicateJsonKey(text);
      if (repeated !== null)
        done(new HttpError(400, 'invalid_json', `The key ${JSON.stringify(repeated.slice(0, 64))} appears twice in one object.`), undefined);
      else done(error, value);
    });
  });
}
