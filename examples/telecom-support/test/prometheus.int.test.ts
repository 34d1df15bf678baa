import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePrometheus } from '../../../scripts/ensure-prometheus.mjs';
import { spawnServe, type ServeProcess } from './support/serve-process.js';
import { request } from './support/test-server.js';

// Issue 17.6: a real Prometheus server (Debian's package; installed when missing and root)
// scrapes the example's /metrics — with the operator credential — while a conversation runs,
// and the turns are read back through Prometheus's HTTP API.

const binary = requirePrometheus('the Prometheus scrape test');
const TOKEN = 'prometheus-scrape-token-0123456789';

describe.skipIf(!binary)('a real Prometheus scraping the example', { timeout: 120_000 }, () => {
  const directory = mkdtempSync(join(tmpdir(), 'telecom-prometheus-'));
  let serve: ServeProcess;
  let prometheus: ChildProcess;
  let prometheusOutput = '';
  let prometheusUrl: string;

  beforeAll(async () => {
    serve = spawnServe({
      TICKETFLOW_STORE: `sqlite:${join(directory, 'tickets.db')}`,
      TICKETFLOW_OPERATOR_TOKEN: `prometheus:${TOKEN}`,
      TICKETFLOW_SWEEP_INTERVAL_MS: '0',
    });
    const target = new URL(await serve.url);
    const tokenFile = join(directory, 'token');
    writeFileSync(tokenFile, TOKEN, { mode: 0o600 });
    writeFileSync(join(directory, 'prometheus.yml'), prometheusConfig(target.host, tokenFile));
    // The port is free when chosen, not reserved: if another process takes it before Prometheus
    // binds it, Prometheus exits, and it starts again on another port.
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      prometheusUrl = `http://127.0.0.1:${port}`;
      prometheus = spawn(
        binary!,
        [
          `--config.file=${join(directory, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(directory, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      prometheus.stdout!.on('data', (chunk: Buffer) => (prometheusOutput += chunk.toString()));
      prometheus.stderr!.on('data', (chunk: Buffer) => (prometheusOutput += chunk.toString()));
      let exited = false;
      prometheus.once('exit', () => (exited = true));
      await until(
        async () => exited || (await fetch(`${prometheusUrl}/-/ready`, { signal: AbortSignal.timeout(2_000) }).catch(() => null))?.ok === true,
        60_000,
        () => `Prometheus did not get ready: ${prometheusOutput}`,
      );
      if (!exited) break;
      if (attempt === 3) throw new Error(`Prometheus exited three times before it was ready: ${prometheusOutput}`);
    }
  }, 120_000);

  afterAll(async () => {
    await stop(prometheus);
    await stop(serve?.child);
    rmSync(directory, { recursive: true, force: true });
  });

  it('O1 reads ticketflow_turns_total back through the HTTP API while a conversation runs', async () => {
    const url = await serve.url;
    const say = (id: string, message: string) => request(`${url}/v1/tickets/${id}/messages`, { body: { message } });
    expect((await say('PR-1', 'My fiber internet is down')).body.action).toMatchObject({ type: 'ask' });
    expect((await say('PR-1', 'Munich')).body.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    expect((await say('PR-2', 'My fiber internet is down in Berlin')).body.action).toMatchObject({ type: 'execute' });

    // The target is up: Prometheus authenticated with the operator token.
    await until(
      async () => (await query('up{job="telecom-support"}'))[0]?.value[1] === '1',
      30_000,
      async () => `the target is not up: ${JSON.stringify(await targets())}`,
    );
    await until(
      async () => Number((await query('sum(ticketflow_turns_total)'))[0]?.value[1] ?? 0) === 3,
      30_000,
      async () => `ticketflow_turns_total never reached 3: ${JSON.stringify(await query('ticketflow_turns_total'))}`,
    );
    const byAction = Object.fromEntries(
      (await query('sum by (ticketflow_action) (ticketflow_turns_total)')).map((sample) => [sample.metric.ticketflow_action, Number(sample.value[1])]),
    );
    expect(byAction).toEqual({ ask: 1, execute: 2 });
    const tools = await query('sum by (gen_ai_tool_name) (ticketflow_tool_calls_total)');
    expect(tools.map((sample) => sample.metric.gen_ai_tool_name).sort()).toEqual(expect.arrayContaining(['check_outage', 'reset_modem']));
    expect(Number((await query('sum(gen_ai_client_operation_duration_count)'))[0]?.value[1])).toBeGreaterThanOrEqual(3);
  });

  async function query(expression: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expression)}`);
    const body = (await response.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (body.status !== 'success') throw new Error(`query ${expression} failed: ${JSON.stringify(body)}`);
    return body.data.result;
  }

  async function targets(): Promise<unknown> {
    return (await fetch(`${prometheusUrl}/api/v1/targets`)).json();
  }
});

function prometheusConfig(target: string, tokenFile: string): string {
  return [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: telecom-support',
    '    metrics_path: /metrics',
    '    authorization:',
    '      type: Bearer',
    `      credentials_file: ${tokenFile}`,
    '    static_configs:',
    `      - targets: ['${target}']`,
    '',
  ].join('\n');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(probe: () => Promise<boolean>, timeoutMs: number, why: () => string | Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(await why());
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Stops a child by its pid: SIGTERM, then SIGKILL if it does not exit within 5 s. */
async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid!, 'SIGTERM');
  const timer = setTimeout(() => child.exitCode === null && child.signalCode === null && process.kill(child.pid!, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
