import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span of an OTLP/JSON export, with its scope. */
export interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  events?: { name: string }[];
  links?: { spanId: string }[];
  scope: string;
}

/** An OTLP/HTTP receiver (JSON encoding) that keeps what it receives: a stand-in for a collector. */
export interface FakeCollector {
  url: string;
  spans(): ExportedSpan[];
  /** Metric names of every push. */
  metricNames(): Set<string>;
  /** Indented span names of one trace, children in start order. */
  tree(traceId: string): string[];
  waitFor<T>(probe: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export async function startFakeCollector(): Promise<FakeCollector> {
  const traces: unknown[] = [];
  const metrics: unknown[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      try {
        const parsed = JSON.parse(body) as unknown;
        if (request.url === '/v1/traces') traces.push(parsed);
        if (request.url === '/v1/metrics') metrics.push(parsed);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const spans = (): ExportedSpan[] =>
    (traces as { resourceSpans: { scopeSpans: { scope: { name: string }; spans: Omit<ExportedSpan, 'scope'>[] }[] }[] }[]).flatMap((body) =>
      body.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans.map((span) => ({ ...span, scope: scope.scope.name })))),
    );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    metricNames: () =>
      new Set(
        (metrics as { resourceMetrics: { scopeMetrics: { metrics: { name: string }[] }[] }[] }[]).flatMap((body) =>
          body.resourceMetrics.flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics.map((metric) => metric.name))),
        ),
      ),
    tree(traceId) {
      const inTrace = spans().filter((span) => span.traceId === traceId);
      const lines: string[] = [];
      const walk = (span: ExportedSpan, depth: number) => {
        lines.push(`${'  '.repeat(depth)}${span.name}`);
        const children = inTrace
          .filter((child) => child.parentSpanId === span.spanId)
          .sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
        for (const child of children) walk(child, depth + 1);
      };
      for (const root of inTrace.filter((span) => !inTrace.some((parent) => parent.spanId === span.parentSpanId))) walk(root, 0);
      return lines;
    },
    async waitFor(probe, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = probe();
        if (found) return found;
        if (Date.now() > deadline) throw new Error('the collector did not receive it in time');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A string attribute of an exported span. */
export function attributeOf(span: ExportedSpan, key: string): unknown {
  const value = span.attributes.find((attribute) => attribute.key === key)?.value;
  return value ? Object.values(value)[0] : undefined;
}
