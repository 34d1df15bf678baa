import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteTicketStore } from '@ticketflow/adapter-sqlite';
import { buildServer, createTelecomAgent, TelecomBackend } from '@ticketflow/example-telecom-support';
import { type FuzzRequest, generateRequests } from './http-requests.js';

/** What {@link runHttpFuzz} saw. */
export interface HttpFuzzReport {
  requests: number;
  byStatus: Record<string, number>;
  /** Requests answered ≥ 500, or with an error body that is not `{ error: { code, message } }`. */
  failures: string[];
}

const BODY_LIMIT = 64 * 1024;

/**
 * An HTTP fuzz of the example's server (`buildServer`, listening on port 0, on a SQLite
 * file with the offline LLM): `count` seeded random requests, 32 at a time. The contract:
 * no status ≥ 500 (the documented 503s are for a store that is down, which it is not
 * here), and every error is JSON with `error.code` and `error.message`.
 */
export async function runHttpFuzz(options: { count: number; seed: number }): Promise<HttpFuzzReport> {
  const directory = mkdtempSync(join(tmpdir(), 'ticketflow-http-fuzz-'));
  const store = new SqliteTicketStore({ filename: join(directory, 'fuzz.db') });
  const { agent } = createTelecomAgent({
    store,
    backend: new TelecomBackend({ latencyMs: 0 }),
    llmRetry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 },
    toolTimeoutMs: 1_000,
  });
  const app = await buildServer({ agent, store, logger: false });
  const report: HttpFuzzReport = { requests: 0, byStatus: {}, failures: [] };
  try {
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const requests = generateRequests(options.seed, options.count);
    for (let start = 0; start < requests.length; start += 32) {
      await Promise.all(requests.slice(start, start + 32).map((request) => send(url, request, report)));
    }
  } finally {
    await app.close();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
  return report;
}

async function send(url: string, request: FuzzRequest, report: HttpFuzzReport): Promise<void> {
  report.requests += 1;
  const label = `#${request.index} ${request.method} ${request.path.slice(0, 80)} ${String(request.body).slice(0, 60)}`;
  let response: Response;
  try {
    response = await fetch(`${url}${request.path}`, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
    });
  } catch (error) {
    // The server may close the connection after answering 413 to a body it stopped reading.
    if (request.body !== undefined && Buffer.byteLength(request.body) > BODY_LIMIT) {
      report.byStatus['413/closed'] = (report.byStatus['413/closed'] ?? 0) + 1;
      return;
    }
    report.failures.push(`${label}: the request failed: ${String(error)}`);
    return;
  }
  const text = await response.text();
  report.byStatus[response.status] = (report.byStatus[response.status] ?? 0) + 1;
  if (response.status >= 500) report.failures.push(`${label} → ${response.status}: ${text.slice(0, 200)}`);
  if (response.status >= 400 && request.method !== 'HEAD') {
    try {
      const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
      if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string')
        report.failures.push(`${label} → ${response.status}: no error.code/message: ${text.slice(0, 200)}`);
    } catch {
      report.failures.push(`${label} → ${response.status}: the error body is not JSON: ${text.slice(0, 200)}`);
    }
  }
}
