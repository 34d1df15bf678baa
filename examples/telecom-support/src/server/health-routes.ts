import { HttpError, type RetryAfter } from './http-error.js';
import { healthResponse, readinessResponse } from './response-schemas.js';
import { defineRoute, type RouteContract } from './route-contract.js';
import type { StoreReadiness } from './store-readiness.js';

/**
 * `/healthz`: the process is alive (always 200). `/readyz`: the store answers (else 503).
 * Probes stay unversioned: orchestrators call them, not API clients.
 */
export function healthRoutes(context: { readiness: StoreReadiness; state: { closing: boolean }; retryAfter: RetryAfter }): RouteContract[] {
  const started = Date.now();
  const liveness = defineRoute({
    method: 'GET',
    path: '/healthz',
    versioned: false,
    operationId: 'getLiveness',
    tag: 'health',
    summary: 'Liveness: the process answers (always 200, also while the store is down)',
    success: { status: 200, description: 'Alive.', schema: healthResponse },
    errors: [],
    handler: async () => ({ status: 'ok' as const, uptimeSeconds: Math.round((Date.now() - started) / 1_000) }),
  });
  const readiness = defineRoute({
    method: 'GET',
    path: '/readyz',
    versioned: false,
    operationId: 'getReadiness',
    tag: 'health',
    summary: 'Readiness: the ticket store answers (503 until it does, and while shutting down)',
    success: { status: 200, description: 'Ready to serve tickets.', schema: readinessResponse },
    errors: [],
    async handler(request) {
      if (context.state.closing) throw new HttpError(503, 'shutting_down', 'The server is shutting down.', undefined, context.retryAfter.unexpected);
      const result = await context.readiness.check();
      if (!result.ready) {
        request.log.warn({ reason: result.reason }, 'not ready: the store does not answer');
        throw new HttpError(503, 'store_unavailable', 'The ticket store does not answer yet.', undefined, context.retryAfter.storeUnavailable);
      }
      return { status: 'ready' as const };
    },
  });
  return [liveness, readiness] as RouteContract[];
}
