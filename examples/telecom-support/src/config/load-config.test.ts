import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig, redactUrl } from './load-config.js';

const load = (env: Record<string, string>) => loadConfig(env, { cwd: '/srv/app' });
const issuesOf = (env: Record<string, string>): readonly string[] => {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('defaults to a SQLite file under ./data, the offline LLM and port 3000', () => {
    expect(load({})).toEqual({
      config: {
        store: { kind: 'sqlite', filename: '/srv/app/data/tickets.db' },
        llms: [{ provider: 'mock' }],
        port: 3_000,
        host: '127.0.0.1',
        logLevel: 'info',
        llmTimeoutMs: 30_000,
        shutdownTimeoutMs: 10_000,
        operators: [],
        http: { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 72_000, connectionTimeoutMs: 300_000, maxConnections: 1_000 },
        sweep: { intervalMs: 15_000, limit: 100 },
      },
      warnings: [],
    });
  });

  it('reads every store kind and a fallback chain of LLMs', () => {
    const { config } = load({
      TICKETFLOW_STORE: 'postgres://app:pw@db:5432/app',
      TICKETFLOW_LLM: 'gemini, ollama ,mock',
      GEMINI_API_KEY: 'key-123',
      GEMINI_MODEL: 'gemini-2.5-flash',
      OLLAMA_HOST: 'http://gpu-box:11434',
      OLLAMA_MODEL: 'llama3.2:3b',
      PORT: '8080',
      TICKETFLOW_NAMESPACE: 'tenant-a',
    });
    expect(config.store).toEqual({ kind: 'postgres', connectionString: 'postgres://app:pw@db:5432/app' });
    expect(config.llms).toEqual([
      { provider: 'gemini', apiKey: 'key-123', model: 'gemini-2.5-flash' },
      { provider: 'ollama', host: 'http://gpu-box:11434', model: 'llama3.2:3b' },
      { provider: 'mock' },
    ]);
    expect(config).toMatchObject({ port: 8080, namespace: 'tenant-a' });
    expect(load({ TICKETFLOW_STORE: 'redis://cache:6379/2' }).config.store).toEqual({ kind: 'redis', url: 'redis://cache:6379/2' });
    expect(load({ TICKETFLOW_STORE: 'sqlite:/var/lib/tickets.db' }).config.store).toEqual({ kind: 'sqlite', filename: '/var/lib/tickets.db' });
    expect(load({ TICKETFLOW_STORE: '', PORT: '  ' }).config).toMatchObject({ store: { kind: 'sqlite' }, port: 3_000 });
  });

  it('lists every bad value at once, with a clear message', () => {
    const issues = issuesOf({
      TICKETFLOW_STORE: 'mysql://db',
      TICKETFLOW_LLM: 'gpt,mock,,mock',
      PORT: '70000',
      TICKETFLOW_LOG_LEVEL: 'loud',
      OLLAMA_HOST: 'ftp://x',
    });
    expect(issues).toEqual([
      expect.stringContaining('TICKETFLOW_STORE must be sqlite:<file>, postgres://… or redis://…'),
      expect.stringContaining('unknown provider "gpt"'),
      expect.stringContaining('TICKETFLOW_LLM has an empty entry'),
      expect.stringContaining('TICKETFLOW_LLM lists mock twice'),
      expect.stringContaining('PORT must be an integer from 0 to 65535'),
      expect.stringContaining('TICKETFLOW_LOG_LEVEL must be one of'),
    ]);
    expect(issuesOf({ TICKETFLOW_LLM: 'ollama', OLLAMA_HOST: 'ftp://x' })).toEqual([expect.stringContaining('OLLAMA_HOST must be an http(s) URL')]);
    expect(issuesOf({ TICKETFLOW_STORE: 'sqlite:' })).toEqual([expect.stringContaining('needs a file')]);
  });

  it('requires GEMINI_API_KEY when gemini is used, and never repeats a secret', () => {
    expect(issuesOf({ TICKETFLOW_LLM: 'gemini' })).toEqual([expect.stringContaining('GEMINI_API_KEY is required')]);
    const issues = issuesOf({
      TICKETFLOW_STORE: 'postgres://admin:hunter2@',
      TICKETFLOW_LLM: 'gemini',
      GEMINI_API_KEY: 'AIza-secret',
      GEMINI_MODEL: 'bad model!',
    });
    expect(issues.join('\n')).not.toMatch(/hunter2|AIza-secret/);
    const { config } = load({ TICKETFLOW_STORE: 'redis://:hunter2@cache:6379', TICKETFLOW_LLM: 'gemini', GEMINI_API_KEY: 'AIza-secret' });
    expect(JSON.stringify(describeConfig(config))).not.toMatch(/hunter2|AIza-secret/);
    expect(redactUrl('postgres://app:pw@db/app')).toBe('postgres://app:***@db/app');
  });

  it('warns about unknown TICKETFLOW_* variables, with a suggestion; test variables are ignored', () => {
    const { warnings } = load({ TICKETFLOW_STROE: 'x', TICKETFLOW_SOMETHING_ELSE: 'y', TICKETFLOW_TEST_PG_URL: 'z', OTHER: 'w' });
    expect(warnings).toEqual([
      'unknown variable TICKETFLOW_STROE is ignored (did you mean TICKETFLOW_STORE?)',
      'unknown variable TICKETFLOW_SOMETHING_ELSE is ignored',
    ]);
  });

  it('reads operator tokens as name:token pairs (bare tokens get a positional name) and never repeats one', () => {
    const { config } = load({ TICKETFLOW_OPERATOR_TOKEN: ' alice:alice-token-0123456789 , bare-token-ABCDEFGHIJKLMNOP,alice:alice-rotated-token-98765 ' });
    expect(config.operators).toEqual([
      { name: 'alice', token: 'alice-token-0123456789' },
      { name: 'operator-2', token: 'bare-token-ABCDEFGHIJKLMNOP' },
      { name: 'alice', token: 'alice-rotated-token-98765' },
    ]);
    expect(describeConfig(config).operators).toEqual(['alice', 'operator-2']);
    expect(JSON.stringify(describeConfig(config))).not.toContain('token-');
    const issues = issuesOf({
      TICKETFLOW_OPERATOR_TOKEN: 'bob:s3cr,,bad name:Zq9-secret-value-0123456,carol:has spaces in the s3cret 0123,dave:Zq9-secret-value-0123456',
    });
    expect(issues).toEqual([
      expect.stringContaining('entry 1 (bob): the token is shorter than 16 characters'),
      expect.stringContaining('entry 2 is empty'),
      expect.stringContaining('entry 3: the name must be'),
      expect.stringContaining('entry 4 (carol): the token may only use'),
      expect.stringContaining('entry 5: the same token is listed twice'),
    ]);
    expect(issues.join('\n')).not.toMatch(/s3cr|Zq9-secret|spaces in/);
  });

  it('reads the HTTP limits and the sweeper, and refuses inconsistent ones', () => {
    const { config } = load({
      TICKETFLOW_REQUEST_TIMEOUT_MS: '5000',
      TICKETFLOW_HEADERS_TIMEOUT_MS: '2000',
      TICKETFLOW_KEEP_ALIVE_TIMEOUT_MS: '4000',
      TICKETFLOW_CONNECTION_TIMEOUT_MS: '60000',
      TICKETFLOW_MAX_CONNECTIONS: '50',
      TICKETFLOW_SWEEP_INTERVAL_MS: '0',
      TICKETFLOW_SWEEP_LIMIT: '10',
    });
    expect(config.http).toEqual({
      requestTimeoutMs: 5_000,
      headersTimeoutMs: 2_000,
      keepAliveTimeoutMs: 4_000,
      connectionTimeoutMs: 60_000,
      maxConnections: 50,
    });
    expect(config.sweep).toEqual({ intervalMs: 0, limit: 10 });
    expect(describeConfig(config).sweep).toBe('off');
    expect(issuesOf({ TICKETFLOW_REQUEST_TIMEOUT_MS: '1000', TICKETFLOW_HEADERS_TIMEOUT_MS: '2000' })).toEqual([
      expect.stringContaining('TICKETFLOW_HEADERS_TIMEOUT_MS (2000) must not exceed TICKETFLOW_REQUEST_TIMEOUT_MS (1000)'),
    ]);
    expect(issuesOf({ TICKETFLOW_CONNECTION_TIMEOUT_MS: '20000' })).toEqual([expect.stringContaining('must exceed TICKETFLOW_REQUEST_TIMEOUT_MS')]);
    expect(issuesOf({ TICKETFLOW_MAX_CONNECTIONS: '0', TICKETFLOW_SWEEP_INTERVAL_MS: '50', TICKETFLOW_SWEEP_LIMIT: '5000' })).toEqual([
      expect.stringContaining('TICKETFLOW_MAX_CONNECTIONS must be an integer from 1'),
      expect.stringContaining('TICKETFLOW_SWEEP_LIMIT must be an integer from 1 to 1000'),
      expect.stringContaining('TICKETFLOW_SWEEP_INTERVAL_MS must be 0 (off) or at least 100'),
    ]);
  });
});
