import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { OTLPMetricExporter as OTLPJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OTLPProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ConsoleMetricExporter, type IMetricReader, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { TelemetrySettings } from './telemetry-settings.js';

/** The Prometheus text of the process's metrics, for `GET /metrics`. */
export interface MetricsSource {
  contentType: string;
  text(): Promise<string>;
}

/** A started OpenTelemetry SDK. */
export interface Telemetry {
  metrics: MetricsSource;
  /** Flushes what is buffered (spans, the last metric push) and stops the SDK. */
  shutdown(): Promise<void>;
}

/** The Prometheus exposition format's content type. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Starts the OpenTelemetry Node SDK (traces, metrics, the async context, the propagators and
 * the HTTP server instrumentation), as {@link TelemetrySettings} say. Call it before the HTTP
 * server is created. Null when `OTEL_SDK_DISABLED=true`.
 */
export function startTelemetry(settings: TelemetrySettings): Telemetry | null {
  if (settings.disabled) return null;
  // The reader behind GET /metrics: no server of its own (the route is on the API port, behind the operator credential).
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const readers: IMetricReader[] = [
    prometheus,
    ...settings.metricExporters.map(
      (name) =>
        new PeriodicExportingMetricReader({
          exporter: metricExporter(name),
          exportIntervalMillis: settings.exportIntervalMs,
          exportTimeoutMillis: Math.min(30_000, settings.exportIntervalMs),
        }),
    ),
  ];
  const sdk = new NodeSDK({
    ...(settings.defaultServiceName ? { serviceName: settings.defaultServiceName } : {}),
    metricReaders: readers,
    // No span processor: spans are not recorded at all (trace context still flows, and log lines carry incoming trace ids).
    ...(settings.exportTraces ? {} : { spanProcessors: [] }),
    // The server logs with pino (trace ids on every line); no OpenTelemetry log export.
    logRecordProcessors: [],
    instrumentations: [new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => isProbe(request.url) })],
  });
  sdk.start();
  const serializer = new PrometheusSerializer();
  return {
    metrics: {
      contentType: PROMETHEUS_CONTENT_TYPE,
      async text() {
        const { resourceMetrics } = await prometheus.collect();
        return serializer.serialize(resourceMetrics);
      },
    },
    shutdown: () => sdk.shutdown(),
  };
}

function metricExporter(name: TelemetrySettings['metricExporters'][number]): PushMetricExporter {
  if (name === 'console') return new ConsoleMetricExporter();
  return name === 'otlp-json' ? new OTLPJsonMetricExporter() : new OTLPProtoMetricExporter();
}

/** Health probes and scrapes every few seconds would drown the traces of real requests. */
function isProbe(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return path === '/healthz' || path === '/readyz' || path === '/metrics';
}
