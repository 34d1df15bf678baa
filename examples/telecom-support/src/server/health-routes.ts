import type { FastifyInstance } from 'fastify';
import { HttpError, type RetryAfter } from './http-error.js';
import type { StoreReadiness } from './store-readiness.js';

/** `/healthz`: the process is alive (always 200). `/readyz`: the store answers (else 503). */
export function registerHealthRoutes(app: FastifyInstance, context: { readiness: StoreReadiness; state: { closing: boolean }; retryAfter: RetryAfter }): void {
  const started = Date.now();

  app.get('/healthz', async () => ({ status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1_000) }));

  app.get('/readyz', async (request) => {
    if (context.state.closing) throw new HttpError(503, 'shutting_down', 'The server is shutting down.', undefined, context.retryAfter.unexpected);
    const readiness = await context.readiness.check();
    if (!readiness.ready) {
      request.log.warn({ reason: readiness.reason }, 'not ready: the store does not answer');
      throw new HttpError(503, 'store_unavailable', 'The ticket store does not answer yet.', undefined, context.retryAfter.storeUnavailable);
    }
    return { status: 'ready' };
  });
}
