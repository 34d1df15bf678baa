/**
 * What the OpenTelemetry SDK of the server does, read from the standard `OTEL_*` variables
 * (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/):
 *
 * - `OTEL_SDK_DISABLED=true`: no SDK, no spans, no metrics, no `/metrics`;
 * - traces are exported over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 *   `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, and not at all otherwise — unless
 *   `OTEL_TRACES_EXPORTER` says otherwise (`otlp`, `console`, `none`), which the SDK then follows;
 * - metrics are always served to Prometheus at `/metrics`, and also pushed over OTLP/HTTP
 *   when the endpoint (or `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`) is set or
 *   `OTEL_METRICS_EXPORTER` names `otlp` (`console` prints them);
 * - the OTLP protocol is `http/protobuf` (the default) or `http/json`; `grpc` is refused;
 * - `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true` records message texts and tool
 *   data on spans, masked like the ticket log (off by default).
 *
 * Endpoints, headers, timeouts, the sampler, the propagators, the batch sizes and the resource
 * (`OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`) are read by the SDK itself.
 */
export interface TelemetrySettings {
  disabled: boolean;
  /** The service name when the environment names none. */
  defaultServiceName: string | undefined;
  /** Let the SDK create the span exporters from the environment; false: no span is exported. */
  exportTraces: boolean;
  /** Push exporters of metrics, besides the Prometheus endpoint. */
  metricExporters: ('otlp-proto' | 'otlp-json' | 'console')[];
  /** Milliseconds between metric pushes (`OTEL_METRIC_EXPORT_INTERVAL`, default 60 000). */
  exportIntervalMs: number;
  captureContent: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the settings; every problem is listed in `issues`, one sentence each. */
export function readTelemetrySettings(env: Env): { settings: TelemetrySettings; issues: string[] } {
  const issues: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const disabled = flag('OTEL_SDK_DISABLED', read('OTEL_SDK_DISABLED'), issues);
  const named = read('OTEL_SERVICE_NAME') !== undefined || /(^|,)\s*service\.name\s*=/.test(read('OTEL_RESOURCE_ATTRIBUTES') ?? '');
  const tracesExplicit = read('OTEL_TRACES_EXPORTER');
  const exportTraces =
    tracesExplicit !== undefined
      ? tracesExplicit.toLowerCase() !== 'none'
      : read('OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined || read('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') !== undefined;
  if (exportTraces)
    checkProtocol('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', read('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? read('OTEL_EXPORTER_OTLP_PROTOCOL'), issues);
  const metricExporters = readMetricExporters(read, issues);
  const interval = read('OTEL_METRIC_EXPORT_INTERVAL');
  const exportIntervalMs = interval === undefined ? 60_000 : Number(interval);
  if (!Number.isInteger(exportIntervalMs) || exportIntervalMs < 100)
    issues.push(`OTEL_METRIC_EXPORT_INTERVAL must be a whole number of milliseconds, at least 100 (got ${JSON.stringify(interval)})`);
  const captureContent = flag('OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT', read('OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT'), issues);
  return {
    settings: { disabled, defaultServiceName: named ? undefined : 'telecom-support', exportTraces, metricExporters, exportIntervalMs, captureContent },
    issues,
  };
}

function readMetricExporters(read: (name: string) => string | undefined, issues: string[]): TelemetrySettings['metricExporters'] {
  const explicit = read('OTEL_METRICS_EXPORTER');
  const names =
    explicit !== undefined
      ? explicit
          .split(',')
          .map((name) => name.trim().toLowerCase())
          .filter(Boolean)
      : read('OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined || read('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT') !== undefined
        ? ['otlp']
        : [];
  const exporters: TelemetrySettings['metricExporters'] = [];
  for (const name of names) {
    if (name === 'none' || name === 'prometheus') continue;
    if (name === 'console') exporters.push('console');
    else if (name === 'otlp') {
      const protocol = checkProtocol(
        'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL',
        read('OTEL_EXPORTER_OTLP_METRICS_PROTOCOL') ?? read('OTEL_EXPORTER_OTLP_PROTOCOL'),
        issues,
      );
      exporters.push(protocol === 'http/json' ? 'otlp-json' : 'otlp-proto');
    } else issues.push(`OTEL_METRICS_EXPORTER must list otlp, prometheus, console or none (got ${JSON.stringify(name)})`);
  }
  return exporters;
}

function checkProtocol(name: string, value: string | undefined, issues: string[]): string {
  const protocol = (value ?? 'http/protobuf').toLowerCase();
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    issues.push(
      `${name} (or OTEL_EXPORTER_OTLP_PROTOCOL) must be http/protobuf or http/json: this server exports OTLP over HTTP (got ${JSON.stringify(value)})`,
    );
  }
  return protocol;
}

function flag(name: string, value: string | undefined, issues: string[]): boolean {
  if (value === undefined) return false;
  const lowered = value.toLowerCase();
  if (lowered === 'true' || lowered === 'false') return lowered === 'true';
  issues.push(`${name} must be true or false (got ${JSON.stringify(value)})`);
  return false;
}
