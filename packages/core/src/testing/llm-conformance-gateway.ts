import { inspect } from 'node:util';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
// The public entry, not the folders behind it: the turn test drives the agent as an app does.
import { createAgent, defineIntent, defineWorkflow, type LLM, LLMError, MemoryTicketStore } from '../index.js';
import { expectNoSecret } from './llm-conformance-secrets.js';
import { rejectionOf } from './llm-conformance-expect.js';
import { LoopbackLLMServer, type EchoEncoding, type EchoFormat } from './loopback-llm-server.js';

/** The credentials one gateway test gives the adapter, and where they must arrive. */
interface GatewayCredentials {
  /** Extra headers for the factory (`context.headers`). */
  headers: Record<string, string>;
  /** `user:password` to put into `baseUrl`, or none. */
  userinfo?: { user: string; password: string };
}

/** What {@link runGatewayEchoConformance} needs from the HTTP suite. */
export interface GatewayEchoOptions {
  name: string;
  apiKey: string;
  slackMs: number;
  /** Builds the adapter for `baseUrl` with the extra `headers`. */
  create: (context: { baseUrl: string; apiKey: string; timeoutMs: number; headers: Record<string, string> }) => LLM | Promise<LLM>;
  /** The adapter takes extra HTTP headers. */
  customHeaders: boolean;
  /** The adapter takes `user:password@` in its base URL (sent as `Authorization: Basic`). */
  urlCredentials: boolean;
}

const PROMPT = 'Kunde: "Seit 8 Uhr kein Internet"';
/** Each status leads with another encoding: whatever an adapter keeps of a long message, every encoding comes first somewhere. */
const STATUSES: Record<number, readonly EchoEncoding[]> = {
  400: ['raw', 'percent', 'base64'],
  401: ['percent', 'base64', 'raw'],
  429: ['base64', 'raw', 'percent'],
  502: ['raw', 'base64', 'percent'],
};
const FORMATS: readonly EchoFormat[] = ['json', 'json-envelope', 'text', 'html'];
const LOG_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/**
 * DESIGN O4 against a gateway that echoes the request — URL and every header, raw,
 * percent-encoded, base64 — in 4xx/5xx bodies of every format: no credential the adapter was
 * given (API key, header values, URL userinfo) appears in the error, its causes, anything
 * logged to the console, or the events and logs of a turn that used the adapter.
 */
export function runGatewayEchoConformance(options: GatewayEchoOptions): void {
  const timeout = 15_000 + options.slackMs;
  const servers: LoopbackLLMServer[] = [];
  const random = () => Math.random().toString(36).slice(2, 12);
  const scenarios: { label: string; credentials: GatewayCredentials }[] = [{ label: 'API key', credentials: { headers: {} } }];
  if (options.customHeaders) {
    scenarios.push({
      label: 'gateway headers',
      credentials: { headers: { Authorization: `Bearer tf-gw-${random()}${random()}`, 'X-Gateway-Key': `gwk/${random()}+${random()}=` } },
    });
  }
  if (options.urlCredentials) {
    scenarios.push({ label: 'URL userinfo', credentials: { headers: {}, userinfo: { user: `gw-user-${random()}`, password: `p@ss:w/rd ${random()}é` } } });
  }

  async function serve(credentials: GatewayCredentials, status: number, format: EchoFormat) {
    const server = await LoopbackLLMServer.start({ handler: { type: 'echo', status, format, encodings: STATUSES[status] } });
    servers.push(server);
    const userinfo = credentials.userinfo ? `${encodeURIComponent(credentials.userinfo.user)}:${encodeURIComponent(credentials.userinfo.password)}@` : '';
    const baseUrl = server.url.replace('://', `://${userinfo}`);
    const llm = await options.create({ baseUrl, apiKey: options.apiKey, timeoutMs: 10_000, headers: credentials.headers });
    return { server, llm, secrets: secretsOf(credentials, options.apiKey) };
  }

  describe(`LLM gateway conformance: ${options.name}`, () => {
    const logged: string[] = [];
    afterEach(() => vi.restoreAllMocks());
    afterAll(async () => Promise.all(servers.splice(0).map((server) => server.close())));
    const captureConsole = () => {
      logged.length = 0;
      for (const method of LOG_METHODS)
        vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map((arg) => inspect(arg, { depth: 10 })).join(' ')));
    };

    for (const { label, credentials } of scenarios) {
      for (const status of Object.keys(STATUSES).map(Number)) {
        for (const format of FORMATS) {
          it(`O4 no ${label} in the error of an echoing gateway (HTTP ${status}, ${format})`, { timeout }, async () => {
            captureConsole();
            const { server, llm, secrets } = await serve(credentials, status, format);
            const error = await rejectionOf(llm.generate(PROMPT, { timeoutMs: 5_000 }));
            expect(LLMError.isInstance(error), 'an LLMError').toBe(true);
            expect({ provider: (error as LLMError).provider, status: (error as LLMError).status }).toEqual({ provider: llm.name, status });
            expectCredentialsSent(server, credentials);
            expectNoSecret(error, secrets, 'the error');
            expectNoSecret(logged, secrets, 'the console');
            expectNoSecret(llm, secrets, 'the adapter (inspect, JSON, public fields)');
          });
        }
      }
      it(`O4 no ${label} in the events, logs or result of a turn whose LLM calls fail at an echoing gateway`, { timeout }, async () => {
        captureConsole();
        const { llm, secrets } = await serve(credentials, 401, 'json-envelope');
        const { llm: flaky } = await serve(credentials, 502, 'text');
        await expectCleanTurn([flaky, llm], secrets, logged);
      });
    }
  });
}

/** Every credential of the scenario, as the adapter was given it. */
function secretsOf(credentials: GatewayCredentials, apiKey: string): string[] {
  const secrets = [apiKey, ...Object.values(credentials.headers)];
  for (const value of Object.values(credentials.headers)) secrets.push(value.split(' ').slice(1).join(' '));
  if (credentials.userinfo) {
    const { user, password } = credentials.userinfo;
    secrets.push(password, `${user}:${password}`, Buffer.from(`${user}:${password}`).toString('base64'), encodeURIComponent(password));
  }
  return secrets.filter((secret) => secret.length >= 4);
}

/** The test means something only if the credentials reached the wire (and so the echo). */
function expectCredentialsSent(server: LoopbackLLMServer, credentials: GatewayCredentials): void {
  const request = server.requests[0];
  expect(request, 'the adapter sent a request').toBeDefined();
  const sent = Object.values(request?.headers ?? {})
    .map(String)
    .join('\n');
  for (const value of Object.values(credentials.headers)) expect(sent.includes(value), 'a configured header reached the gateway').toBe(true);
  if (credentials.userinfo) {
    const basic = Buffer.from(`${credentials.userinfo.user}:${credentials.userinfo.password}`).toString('base64');
    expect(request?.headers.authorization, 'URL userinfo is sent as Authorization: Basic').toBe(`Basic ${basic}`);
  }
}

async function expectCleanTurn(llm: LLM[], secrets: string[], logged: string[]): Promise<void> {
  const records: unknown[] = [];
  const record = (level: string) => (object: Record<string, unknown>, message?: string) => void records.push({ level, object, message });
  const store = new MemoryTicketStore();
  const intent = defineIntent({ name: 'no_internet', description: 'Internet does not work at all' });
  const workflow = defineWorkflow({ name: 'troubleshoot', intent, required: [], run: async () => ({ status: 'resolved', reply: 'done' }) });
  const agent = createAgent({
    store,
    llm,
    intents: [intent],
    workflows: [workflow],
    llmRetry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
  });
  const hooks: unknown[] = [];
  agent.on('turn.degraded', (event) => void hooks.push(event));
  agent.on('turn.completed', (event) => void hooks.push(event));
  const result = await agent.handle({ ticketId: 'T-gateway', message: 'no internet since 8' });
  expect(result.action.type, 'every LLM failed: the turn degrades').toBe('fallback');
  const { events } = (await agent.inspect('T-gateway')) as { events: { type: string }[] };
  expect(
    events.some((event) => event.type === 'llm.failed'),
    'the failures are recorded',
  ).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 20)); // listeners run after handle resolves (O5)
  expectNoSecret(events, secrets, 'the events');
  expectNoSecret(records, secrets, 'the logger');
  expectNoSecret(hooks, secrets, 'the hooks');
  expectNoSecret(result, secrets, 'the turn result');
  expectNoSecret(logged, secrets, 'the console');
}
