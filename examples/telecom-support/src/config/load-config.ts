import { resolve } from 'node:path';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from '../server/http-limits.js';
import { parseOperatorTokens, type OperatorCredential } from './parse-operator-tokens.js';

/** Where tickets live. */
export type StoreConfig = { kind: 'sqlite'; filename: string } | { kind: 'postgres'; connectionString: string } | { kind: 'redis'; url: string };

/** One LLM of the fallback chain. */
export type LLMConfig = { provider: 'mock' } | { provider: 'gemini'; apiKey: string; model?: string } | { provider: 'ollama'; host?: string; model?: string };

/** The example's configuration, read from the environment by {@link loadConfig}. */
export interface TelecomConfig {
  store: StoreConfig;
  /** Namespace inside the store (several apps or tenants on one database). */
  namespace?: string;
  /** The LLM chain, in fallback order. */
  llms: LLMConfig[];
  port: number;
  host: string;
  logLevel: LogLevel;
  /** Per-request LLM timeout, ms. */
  llmTimeoutMs: number;
  /** Longest wait for in-flight requests on SIGTERM before exiting anyway, ms. */
  shutdownTimeoutMs: number;
  /** Operator credentials; empty: the operator routes are disabled (401 `operator_auth_disabled`). */
  operators: OperatorCredential[];
  /** Timeouts and the connection cap (see {@link HttpLimits}). */
  http: Omit<HttpLimits, 'checkIntervalMs'>;
  /** The sweeper (`agent.recover`): every `intervalMs` (0: off), at most `limit` tickets per sweep. */
  sweep: { intervalMs: number; limit: number };
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const PROVIDERS = ['mock', 'gemini', 'ollama'] as const;

/** Every variable the example reads, with its meaning (for the README and the warnings). */
export const KNOWN_VARIABLES: Readonly<Record<string, string>> = {
  TICKETFLOW_STORE: 'sqlite:<file> (default sqlite:./data/tickets.db), postgres://… or redis://…',
  TICKETFLOW_LLM: 'mock (default), gemini, ollama, or a comma list for a fallback chain',
  TICKETFLOW_NAMESPACE: 'namespace inside the store (default: none)',
  TICKETFLOW_HOST: 'address the server binds to (default 127.0.0.1)',
  TICKETFLOW_LOG_LEVEL: 'fatal, error, warn, info (default), debug, trace or silent',
  TICKETFLOW_LLM_TIMEOUT_MS: 'per-request LLM timeout in ms (default 30000)',
  TICKETFLOW_SHUTDOWN_TIMEOUT_MS: 'longest wait for in-flight requests on SIGTERM (default 10000)',
  TICKETFLOW_OPERATOR_TOKEN: 'operator bearer tokens, comma-separated name:token pairs; unset: operator routes disabled; never logged',
  TICKETFLOW_REQUEST_TIMEOUT_MS: `longest time to receive a whole request (default ${DEFAULT_HTTP_LIMITS.requestTimeoutMs})`,
  TICKETFLOW_HEADERS_TIMEOUT_MS: `longest time to receive the request headers (default ${DEFAULT_HTTP_LIMITS.headersTimeoutMs})`,
  TICKETFLOW_KEEP_ALIVE_TIMEOUT_MS: `idle keep-alive connections are closed after this (default ${DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs})`,
  TICKETFLOW_CONNECTION_TIMEOUT_MS: `a connection silent this long is destroyed; above the slowest turn (default ${DEFAULT_HTTP_LIMITS.connectionTimeoutMs})`,
  TICKETFLOW_MAX_CONNECTIONS: `open connections beyond this are refused (default ${DEFAULT_HTTP_LIMITS.maxConnections})`,
  TICKETFLOW_SWEEP_INTERVAL_MS: 'how often the sweeper runs agent.recover, jittered ±20 % (default 15000; 0 disables)',
  TICKETFLOW_SWEEP_LIMIT: 'at most this many tickets per sweep (default 100)',
  GEMINI_API_KEY: 'required when gemini is in TICKETFLOW_LLM; never logged',
  GEMINI_MODEL: 'Gemini model id (default gemini-2.5-flash)',
  OLLAMA_HOST: 'Ollama server (default http://127.0.0.1:11434)',
  OLLAMA_MODEL: 'Ollama model (default phi3)',
  PORT: 'HTTP port (default 3000)',
};

/** A configuration that cannot work. `issues` lists every problem, one sentence each. */
export class ConfigError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(`Invalid configuration:\n - ${issues.join('\n - ')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/**
 * Reads and checks the configuration. Unset and empty variables take their defaults;
 * unknown `TICKETFLOW_*` variables are returned as warnings (a typo must not pass
 * silently). Secrets never appear in an issue or a warning.
 *
 * @throws {ConfigError} listing every bad value.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, options: { cwd?: string } = {}): { config: TelecomConfig; warnings: string[] } {
  const issues: string[] = [];
  const warnings: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const store = parseStore(read('TICKETFLOW_STORE') ?? 'sqlite:./data/tickets.db', options.cwd ?? process.cwd(), issues);
  const llms = parseLLMs(read('TICKETFLOW_LLM') ?? 'mock', read, issues);
  const namespace = read('TICKETFLOW_NAMESPACE');
  if (namespace !== undefined && namespace.length > 128) issues.push('TICKETFLOW_NAMESPACE must have at most 128 characters');
  const port = integer('PORT', read('PORT'), 3_000, 0, 65_535, issues);
  const host = read('TICKETFLOW_HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host)) issues.push(`TICKETFLOW_HOST must be a host name or an IP address (got ${JSON.stringify(host)})`);
  const logLevel = (read('TICKETFLOW_LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) issues.push(`TICKETFLOW_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(logLevel)})`);
  const llmTimeoutMs = integer('TICKETFLOW_LLM_TIMEOUT_MS', read('TICKETFLOW_LLM_TIMEOUT_MS'), 30_000, 100, 600_000, issues);
  const shutdownTimeoutMs = integer('TICKETFLOW_SHUTDOWN_TIMEOUT_MS', read('TICKETFLOW_SHUTDOWN_TIMEOUT_MS'), 10_000, 0, 600_000, issues);
  const operatorTokens = read('TICKETFLOW_OPERATOR_TOKEN');
  const operators = operatorTokens === undefined ? [] : parseOperatorTokens(operatorTokens, issues);
  const http = parseHttpLimits(read, issues);
  const sweep = {
    intervalMs: integer('TICKETFLOW_SWEEP_INTERVAL_MS', read('TICKETFLOW_SWEEP_INTERVAL_MS'), 15_000, 0, 86_400_000, issues),
    limit: integer('TICKETFLOW_SWEEP_LIMIT', read('TICKETFLOW_SWEEP_LIMIT'), 100, 1, 1_000, issues),
  };
  if (sweep.intervalMs > 0 && sweep.intervalMs < 100) issues.push(`TICKETFLOW_SWEEP_INTERVAL_MS must be 0 (off) or at least 100 (got ${sweep.intervalMs})`);

  for (const name of Object.keys(env)) {
    if (!name.startsWith('TICKETFLOW_') || name in KNOWN_VARIABLES || name.startsWith('TICKETFLOW_TEST_')) continue;
    const guess = closest(name, Object.keys(KNOWN_VARIABLES));
    warnings.push(`unknown variable ${name} is ignored${guess ? ` (did you mean ${guess}?)` : ''}`);
  }

  if (issues.length > 0) throw new ConfigError(issues);
  return {
    config: {
      store,
      ...(namespace !== undefined ? { namespace } : {}),
      llms,
      port,
      host,
      logLevel: logLevel as LogLevel,
      llmTimeoutMs,
      shutdownTimeoutMs,
      operators,
      http,
      sweep,
    },
    warnings,
  };
}

/** The configuration without secrets, for the startup log. */
export function describeConfig(config: TelecomConfig): Record<string, unknown> {
  const store =
    config.store.kind === 'sqlite'
      ? `sqlite:${config.store.filename}`
      : redactUrl(config.store.kind === 'postgres' ? config.store.connectionString : config.store.url);
  return {
    store,
    namespace: config.namespace ?? null,
    llms: config.llms.map((llm) =>
      llm.provider === 'gemini'
        ? `gemini(${llm.model ?? 'default model'})`
        : llm.provider === 'ollama'
          ? `ollama(${llm.host ?? 'default host'}, ${llm.model ?? 'default model'})`
          : 'mock',
    ),
    port: config.port,
    host: config.host,
    operators:
      config.operators.length > 0 ? [...new Set(config.operators.map((operator) => operator.name))] : 'disabled (TICKETFLOW_OPERATOR_TOKEN is not set)',
    http: config.http,
    sweep: config.sweep.intervalMs > 0 ? config.sweep : 'off',
  };
}

function parseHttpLimits(read: (name: string) => string | undefined, issues: string[]): TelecomConfig['http'] {
  const limit = (name: string, fallback: number, min: number, max: number) => integer(name, read(name), fallback, min, max, issues);
  const http = {
    requestTimeoutMs: limit('TICKETFLOW_REQUEST_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.requestTimeoutMs, 100, 600_000),
    headersTimeoutMs: limit('TICKETFLOW_HEADERS_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.headersTimeoutMs, 100, 600_000),
    keepAliveTimeoutMs: limit('TICKETFLOW_KEEP_ALIVE_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs, 100, 600_000),
    connectionTimeoutMs: limit('TICKETFLOW_CONNECTION_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.connectionTimeoutMs, 1_000, 3_600_000),
    maxConnections: limit('TICKETFLOW_MAX_CONNECTIONS', DEFAULT_HTTP_LIMITS.maxConnections, 1, 1_000_000),
  };
  if (http.headersTimeoutMs > http.requestTimeoutMs)
    issues.push(`TICKETFLOW_HEADERS_TIMEOUT_MS (${http.headersTimeoutMs}) must not exceed TICKETFLOW_REQUEST_TIMEOUT_MS (${http.requestTimeoutMs})`);
  if (http.connectionTimeoutMs <= http.requestTimeoutMs)
    issues.push(`TICKETFLOW_CONNECTION_TIMEOUT_MS (${http.connectionTimeoutMs}) must exceed TICKETFLOW_REQUEST_TIMEOUT_MS (${http.requestTimeoutMs})`);
  return http;
}

/** A URL with its password (and any user info) replaced by `***`. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return value.replace(/\/\/[^@/]*@/, '//***@');
  }
}

function parseStore(value: string, cwd: string, issues: string[]): StoreConfig {
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length);
    if (file === '') issues.push('TICKETFLOW_STORE sqlite: needs a file, e.g. sqlite:./data/tickets.db');
    return { kind: 'sqlite', filename: file === ':memory:' ? file : resolve(cwd, file) };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql' || scheme === 'redis' || scheme === 'rediss') {
    try {
      const url = new URL(value);
      if (!url.hostname) throw new Error('no host');
    } catch {
      issues.push(`TICKETFLOW_STORE is not a valid ${scheme} URL (${redactUrl(value)})`);
    }
    return scheme.startsWith('postgres') ? { kind: 'postgres', connectionString: value } : { kind: 'redis', url: value };
  }
  issues.push(`TICKETFLOW_STORE must be sqlite:<file>, postgres://… or redis://… (got ${JSON.stringify(scheme ? `${scheme}://…` : value.slice(0, 40))})`);
  return { kind: 'sqlite', filename: '' };
}

function parseLLMs(value: string, read: (name: string) => string | undefined, issues: string[]): LLMConfig[] {
  const names = value.split(',').map((name) => name.trim().toLowerCase());
  const llms: LLMConfig[] = [];
  for (const name of names) {
    if (name === '') {
      issues.push(`TICKETFLOW_LLM has an empty entry (got ${JSON.stringify(value)}); use e.g. "ollama,mock"`);
      continue;
    }
    if (!(PROVIDERS as readonly string[]).includes(name)) {
      issues.push(`TICKETFLOW_LLM: unknown provider ${JSON.stringify(name)}; use ${PROVIDERS.join(', ')} or a comma list of them`);
      continue;
    }
    if (llms.some((llm) => llm.provider === name)) {
      issues.push(`TICKETFLOW_LLM lists ${name} twice`);
      continue;
    }
    if (name === 'mock') llms.push({ provider: 'mock' });
    if (name === 'gemini') {
      const apiKey = read('GEMINI_API_KEY');
      const model = read('GEMINI_MODEL');
      if (apiKey === undefined)
        issues.push('GEMINI_API_KEY is required when TICKETFLOW_LLM includes gemini (create one at https://aistudio.google.com/apikey)');
      if (model !== undefined && !/^[A-Za-z0-9._/-]{1,100}$/.test(model))
        issues.push(`GEMINI_MODEL is not a model id (got ${JSON.stringify(model.slice(0, 40))})`);
      llms.push({ provider: 'gemini', apiKey: apiKey ?? '', ...(model !== undefined ? { model } : {}) });
    }
    if (name === 'ollama') {
      const host = read('OLLAMA_HOST');
      const model = read('OLLAMA_MODEL');
      if (host !== undefined && !isHttpUrl(host.includes('://') ? host : `http://${host}`))
        issues.push(`OLLAMA_HOST must be an http(s) URL or host:port (got ${JSON.stringify(redactUrl(host))})`);
      if (model !== undefined && !/^[A-Za-z0-9._:/-]{1,100}$/.test(model))
        issues.push(`OLLAMA_MODEL is not a model name (got ${JSON.stringify(model.slice(0, 40))})`);
      llms.push({ provider: 'ollama', ...(host !== undefined ? { host } : {}), ...(model !== undefined ? { model } : {}) });
    }
  }
  return llms;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function integer(name: string, value: string | undefined, fallback: number, min: number, max: number, issues: string[]): number {
  if (value === undefined) return fallback;
  const parsed = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!(parsed >= min && parsed <= max)) {
    issues.push(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value.slice(0, 40))})`);
    return fallback;
  }
  return parsed;
}

/** The known name at edit distance ≤ 3 from `name`, if any. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance <= 3 && distance < (best?.distance ?? Infinity)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_value, index) => index);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[right.length]!;
}
