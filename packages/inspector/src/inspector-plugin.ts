import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { registerApiRoutes } from './api-routes.js';
import type { InspectorOptions } from './inspector-options.js';
import { resolveInspectorOptions } from './inspector-options.js';
import { mapError } from './map-error.js';
import { registerPageRoutes } from './page-routes.js';
import { findWebDirectory, loadStaticAssets } from './static-assets.js';

/**
 * The ticket inspector, a Fastify plugin (DESIGN §9): a page for the people who run the
 * agent — queues of tickets by status, each ticket's timeline (messages, decisions, slots
 * with their provenance, tool steps, compensations, approvals, recoveries), approve /
 * reject / release, and the replay of a ticket against the running code — with the JSON
 * API it reads, under the plugin's prefix. The page is built in advance and served from
 * memory: nothing is loaded from another site, it works offline.
 *
 * @example
 * ```ts
 * import { inspector } from '@ticketflow/inspector';
 * await app.register(inspector, {
 *   agent, prefix: '/inspector',
 *   authorize: (request) => isOperator(request) ? { by: operatorName(request) } : false,
 *   replay: { store, intents, workflows },
 * });
 * // open http://localhost:3000/inspector/
 * ```
 * @throws {ConfigurationError} (at registration) without `authorize` or `agent`, for a
 * misspelt option, or when the page was not built.
 */
export const inspector: FastifyPluginAsync<InspectorOptions> = async (app: FastifyInstance, options: InspectorOptions) => {
  const resolved = resolveInspectorOptions(options);
  const assets = loadStaticAssets(findWebDirectory());

  app.setErrorHandler((error, request, reply) => {
    const problem = mapError(error);
    if (!problem) throw error;
    if (problem.status >= 500)
      request.log.warn({ code: problem.code, reason: error instanceof Error ? error.message : String(error) }, 'inspector: request failed');
    for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value);
    return reply.code(problem.status).type('application/json; charset=utf-8').send(problem.toBody());
  });

  // A child context, so that the API's hooks (no-store) do not reach the page's files.
  await app.register(async (api) => registerApiRoutes(api, resolved), { prefix: '/api' });
  registerPageRoutes(app, assets);
};
