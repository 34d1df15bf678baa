import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { attributeOf, startFakeCollector } from './support/fake-otlp-collector.js';
import { spawnServe, type ServeProcess } from './support/serve-process.js';
import { request } from './support/test-server.js';

// Issue 17.5: the serve process with the OpenTelemetry Node SDK configured from OTEL_* variables,
// exporting OTLP/HTTP (JSON here, so the test reads it) to a stand-in collector.

const directory = mkdtempSync(join(tmpdir(), 'telecom-otel-'));
const running: ServeProcess[] = [];
const TOKEN = 'metrics-test-token-0123456789';
const serve = (env: Record<string, string>) => {
  const process = spawnServe({ TICKETFLOW_OPERATOR_TOKEN: `prometheus:${TOKEN}`, TICKETFLOW_SWEEP_INTERVAL_MS: '0', ...env });
  running.push(process);
  return process;
};

afterEach(() => {
  for (const process of running.splice(0)) if (process.child.exitCode === null && process.child.signalCode === null) process.child.kill('SIGKILL');
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

// Each test starts the real process (tsx compiles it): slow on a loaded machine.
describe('the serve process with OpenTelemetry', { timeout: 90_000 }, () => {
  it('O1 exports each turn as a trace under its HTTP request span over OTLP/HTTP; the request log lines carry its trace_id', async () => {
    const collector = await startFakeCollector();
    try {
      const process = serve({
        TICKETFLOW_STORE: `sqlite:${join(directory, 'otlp.db')}`,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_METRIC_EXPORT_INTERVAL: '300',
        OTEL_SERVICE_NAME: 'telecom-test',
      });
      const url = await process.url;
      const answer = await request(`${url}/v1/tickets/O-1/messages`, { body: { message: 'My fiber internet is down in Munich' } });
      expect(answer.body.action).toMatchObject({ type: 'execute', workflow: 'fiber_no_internet', outcome: 'resolved' });

      const turn = await collector.waitFor(() => collector.spans().find((span) => span.name === 'invoke_agent ticketflow'));
      const tree = await collector.waitFor(() => {
        const lines = collector.tree(turn.traceId);
        return lines.some((line) => line.includes('execute_tool reset_modem')) && lines;
      });
      expect(tree).toEqual([
        'POST /v1/tickets/:id/messages',
        '  invoke_agent ticketflow',
        '    chat telecom-rules-1',
        '    invoke_workflow fiber_no_internet',
        '      execute_tool check_outage',
        '      execute_tool run_line_diagnostics',
        '      execute_tool reset_modem',
      ]);
      const server = collector.spans().find((span) => span.traceId === turn.traceId && span.spanId === turn.parentSpanId)!;
      expect(server.scope).toBe('@opentelemetry/instrumentation-http');
      expect([server.kind, turn.kind]).toEqual([2, 1]); // SERVER, INTERNAL
      expect(attributeOf(server, 'http.route')).toBe('/v1/tickets/:id/messages');
      expect(attributeOf(turn, 'gen_ai.conversation.id')).toBe('O-1');

      const lines = process.lines.filter((line) => line.ticketId === 'O-1');
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line.trace_id).toBe(turn.traceId);
      await collector.waitFor(() => collector.metricNames().has('ticketflow.turns'));
      for (const name of ['gen_ai.client.operation.duration', 'gen_ai.client.token.usage', 'ticketflow.turn.duration', 'ticketflow.tool.calls'])
        expect(collector.metricNames().has(name), name).toBe(true);
    } finally {
      await collector.close();
    }
  });

  it('serves /metrics to Prometheus behind the operator credential; without an OTLP endpoint nothing is exported', async () => {
    const process = serve({ TICKETFLOW_STORE: `sqlite:${join(directory, 'prom.db')}` });
    const url = await process.url;
    expect(process.lines.find((line) => line.msg === 'telecom support server listening')?.telemetry).toEqual({
      enabled: true,
      traces: 'off',
      metrics: ['prometheus:/metrics'],
      captureContent: false,
    });
    await request(`${url}/v1/tickets/P-1/messages`, { body: { message: 'My fiber internet is down' } });
    const refused = await fetch(`${url}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('Bearer');
    const scraped = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await scraped.text();
    expect(text).toMatch(/^ticketflow_turns_total\{ticketflow_operation="handle",ticketflow_action="ask"[^}]*\} 1$/m);
    expect(text).toContain('# TYPE gen_ai_client_operation_duration histogram');
    // No trace is recorded, so the log lines have no trace ids.
    expect(process.lines.filter((line) => line.ticketId === 'P-1').every((line) => line.trace_id === undefined)).toBe(true);
  });

  it('refuses an OTLP protocol it cannot speak and a bad flag, with the other configuration problems, exit code 1', async () => {
    const process = serve({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'yes',
      PORT: 'eighty',
    });
    expect(await process.exited).toEqual({ code: 1, signal: null });
    expect(process.stderr()).toContain('PORT must be an integer');
    expect(process.stderr()).toContain('must be http/protobuf or http/json');
    expect(process.stderr()).toContain('OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT must be true or false');
  });

  it('OTEL_SDK_DISABLED=true: no SDK, and no /metrics route', async () => {
    const process = serve({ TICKETFLOW_STORE: `sqlite:${join(directory, 'off.db')}`, OTEL_SDK_DISABLED: 'true' });
    const url = await process.url;
    expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });
});
