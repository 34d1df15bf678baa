import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './http-error.js';
import type { MetricsSource } from './telemetry.js';

/** Where Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/**
 * `GET /metrics`: the Prometheus text of the process's metrics (`ticketflow_turns_total`,
 * `gen_ai_client_operation_duration_seconds`, …), behind the operator credential like the
 * other operator routes — a scrape config sends `Authorization: Bearer <operator token>`.
 */
export function metricsRoute(app: FastifyInstance, source: MetricsSource, operatorHook: (request: FastifyRequest) => Promise<void>): void {
  app.get(METRICS_PATH, { onRequest: operatorHook }, async (_request, reply) => {
    let text: string;
    try {
      text = await source.text();
    } catch (error) {
      throw new HttpError(503, 'metrics_unavailable', `The metrics could not be collected: ${error instanceof Error ? error.message : String(error)}`);
    }
    return reply.header('cache-control', 'no-store').type(source.contentType).send(text);
  });
}
