import { ConfigError, describeConfig, loadConfig } from '../config/load-config.js';
import { createLLMs } from '../config/create-llms.js';
import { createStore } from '../config/create-store.js';
import { createTelecomAgent } from '../create-telecom-agent.js';
import { startSweeper, type Recoverer, type Sweeper } from '../server/sweeper.js';
import { readTelemetrySettings } from '../server/telemetry-settings.js';

/**
 * The HTTP server process: configuration from the environment, then listen. A bad
 * configuration exits with code 1 and a plain message (no stack). The sweeper runs
 * `agent.recover` on an interval. The OpenTelemetry SDK is configured from the standard
 * `OTEL_*` variables (see `readTelemetrySettings`): every turn is traced under its HTTP
 * request's span and measured; `/metrics` serves Prometheus. SIGTERM/SIGINT stop the sweeper
 * (after its sweep in progress), stop accepting, let in-flight turns finish, close the
 * store, flush the telemetry, then exit.
 */
async function main(): Promise<void> {
  // Every problem of both at once: the ticketflow variables and the OTEL_* ones.
  const telemetrySettings = readTelemetrySettings(process.env);
  const issues: string[] = [];
  let loaded: ReturnType<typeof loadConfig> | undefined;
  try {
    loaded = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
  }
  issues.push(...telemetrySettings.issues);
  if (issues.length > 0 || !loaded) {
    process.stderr.write(`telecom-support: ${new ConfigError(issues).message}\nSee examples/telecom-support/README.md#configuration.\n`);
    process.exit(1);
  }
  const { config, warnings } = loaded;

  // Loaded only now (a bad configuration exits fast), and before the HTTP server's modules:
  // the HTTP instrumentation patches node:http as Fastify requires it.
  const { startTelemetry } = await import('../server/telemetry.js');
  const telemetry = startTelemetry(telemetrySettings.settings);
  const { buildServer } = await import('../server/build-server.js');
  const { instrumentAgent } = await import('@ticketflow/otel');

  const store = createStore(config.store, config.namespace);
  const { agent, domain } = createTelecomAgent({ store, llm: createLLMs(config.llms), llmTimeoutMs: config.llmTimeoutMs });
  if (telemetry) instrumentAgent(agent, { captureContent: telemetrySettings.settings.captureContent });
  const app = await buildServer({
    agent,
    store,
    logger: { level: config.logLevel },
    operators: config.operators,
    limits: config.http,
    replay: { intents: domain.intents, workflows: domain.workflows, slots: domain.slots },
    ...(telemetry ? { metrics: telemetry.metrics } : {}),
  });
  for (const warning of warnings) app.log.warn({ warning }, 'configuration warning');
  if (config.operators.length === 0)
    app.log.warn('operator routes are disabled: set TICKETFLOW_OPERATOR_TOKEN (name:token pairs) to approve, reject, release, erase and list tickets');

  const sweeper = startAgentSweeper(agent, config, app.log);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      app.log.error({ timeoutMs: config.shutdownTimeoutMs }, 'in-flight requests did not finish in time; exiting anyway');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    try {
      await sweeper.stop();
      await app.close();
      await store.close();
      await telemetry?.shutdown().catch((error: unknown) => app.log.warn({ err: error }, 'could not flush the telemetry'));
      app.log.info('stopped');
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'error while shutting down');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  const address = await app.listen({ port: config.port, host: config.host });
  app.log.info({ address, ...describeConfig(config), telemetry: describeTelemetry(telemetrySettings.settings) }, 'telecom support server listening');
}

function describeTelemetry(settings: ReturnType<typeof readTelemetrySettings>['settings']): Record<string, unknown> {
  if (settings.disabled) return { enabled: false };
  return {
    enabled: true,
    traces: settings.exportTraces ? 'exported' : 'off',
    metrics: ['prometheus:/metrics', ...settings.metricExporters],
    captureContent: settings.captureContent,
  };
}

function startAgentSweeper(agent: unknown, config: ReturnType<typeof loadConfig>['config'], log: Parameters<typeof startSweeper>[0]['log']): Sweeper {
  const recoverer = agent as Partial<Recoverer>;
  if (config.sweep.intervalMs > 0 && typeof recoverer.recover !== 'function') {
    log.warn({}, 'the sweeper is off: this version of @ticketflow/core has no agent.recover');
    return { stop: async () => undefined, sweeps: 0 };
  }
  if (config.sweep.intervalMs > 0) log.info({ intervalMs: config.sweep.intervalMs, limit: config.sweep.limit }, 'sweeper started');
  return startSweeper({ agent: recoverer as Recoverer, intervalMs: config.sweep.intervalMs, limit: config.sweep.limit, log });
}

main().catch((error: unknown) => {
  process.stderr.write(`telecom-support: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
