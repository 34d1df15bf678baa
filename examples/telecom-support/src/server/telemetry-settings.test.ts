import { describe, expect, it } from 'vitest';
import { readTelemetrySettings } from './telemetry-settings.js';

describe('readTelemetrySettings (the standard OTEL_* variables)', () => {
  it('exports nothing by default: Prometheus only, the service named telecom-support, no content', () => {
    expect(readTelemetrySettings({})).toEqual({
      settings: {
        disabled: false,
        defaultServiceName: 'telecom-support',
        exportTraces: false,
        metricExporters: [],
        exportIntervalMs: 60_000,
        captureContent: false,
      },
      issues: [],
    });
  });

  it('exports traces and metrics over OTLP/HTTP (protobuf unless told json) when an endpoint is set', () => {
    expect(readTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).settings).toMatchObject({
      exportTraces: true,
      metricExporters: ['otlp-proto'],
    });
    expect(
      readTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).settings.metricExporters,
    ).toEqual(['otlp-json']);
    expect(readTelemetrySettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }).settings).toMatchObject({
      exportTraces: true,
      metricExporters: [],
    });
    expect(
      readTelemetrySettings({
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://c:4318/v1/metrics',
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      }).settings,
    ).toMatchObject({ exportTraces: false, metricExporters: ['otlp-json'] });
  });

  it('follows OTEL_TRACES_EXPORTER and OTEL_METRICS_EXPORTER when they are set, and the service name of the environment', () => {
    expect(
      readTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'prometheus' }).settings,
    ).toMatchObject({ exportTraces: false, metricExporters: [] });
    expect(readTelemetrySettings({ OTEL_TRACES_EXPORTER: 'console', OTEL_METRICS_EXPORTER: 'console,otlp' }).settings).toMatchObject({
      exportTraces: true,
      metricExporters: ['console', 'otlp-proto'],
    });
    expect(readTelemetrySettings({ OTEL_SERVICE_NAME: 'support-eu' }).settings.defaultServiceName).toBeUndefined();
    expect(
      readTelemetrySettings({ OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,service.name=support-eu' }).settings.defaultServiceName,
    ).toBeUndefined();
    expect(readTelemetrySettings({ OTEL_SDK_DISABLED: 'TRUE', OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' }).settings).toMatchObject({
      disabled: true,
      captureContent: true,
    });
  });

  it('lists every bad value: gRPC, an unknown exporter, a bad interval, a flag that is not true or false', () => {
    const { issues } = readTelemetrySettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_METRICS_EXPORTER: 'otlp,statsd',
      OTEL_METRIC_EXPORT_INTERVAL: '5s',
      OTEL_SDK_DISABLED: 'yes',
    });
    expect(issues).toHaveLength(5);
    expect(issues.join('\n')).toMatch(/TRACES_PROTOCOL.*http\/protobuf or http\/json/);
    expect(issues.join('\n')).toMatch(/METRICS_PROTOCOL.*http\/protobuf or http\/json/);
    expect(issues.join('\n')).toContain('"statsd"');
    expect(issues.join('\n')).toContain('OTEL_METRIC_EXPORT_INTERVAL');
    expect(issues.join('\n')).toContain('OTEL_SDK_DISABLED must be true or false');
  });
});
