import { trace, TraceFlags } from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';

/**
 * The pino `mixin`: every log line written while a span is active (an HTTP request, a turn)
 * carries its `trace_id`, `span_id` and `trace_flags`, the field names of the OpenTelemetry
 * log data model, so a log line leads to its trace and back.
 */
export function traceLogFields(): Record<string, string> {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !trace.isSpanContextValid(context)) return {};
  return { trace_id: context.traceId, span_id: context.spanId, trace_flags: (context.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? '01' : '00' };
}

/**
 * An `onRequest` hook: names the HTTP server span after its route template
 * (`POST /v1/tickets/:ticketId/messages`, `http.route`), as the HTTP conventions ask, instead
 * of the bare method the HTTP instrumentation knows.
 */
export async function nameServerSpan(request: FastifyRequest): Promise<void> {
  const route = request.routeOptions.url;
  const span = trace.getActiveSpan();
  if (!span || !route || !span.isRecording()) return;
  span.updateName(`${request.method} ${route}`);
  span.setAttribute('http.route', route);
}
