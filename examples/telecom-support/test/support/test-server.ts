import type { LLM, TicketStore } from '@ticketflow/core';
import type { FastifyInstance } from 'fastify';
import { TelecomBackend } from '../../src/backend/telecom-backend.js';
import { createTelecomAgent, type TelecomAgent, type TelecomAgentOptions } from '../../src/create-telecom-agent.js';
import type { OperatorCredential } from '../../src/config/parse-operator-tokens.js';
import { buildServer } from '../../src/server/build-server.js';
import type { HttpLimits } from '../../src/server/http-limits.js';

/** The operator every test server accepts unless told otherwise. */
export const TEST_OPERATOR: OperatorCredential = { name: 'supervisor-1', token: 'test-operator-token-0123456789' };

/** `Authorization` for {@link TEST_OPERATOR} (or another token). */
export const operatorHeaders = (token = TEST_OPERATOR.token): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** A log line as pino writes it. */
export type LogLine = Record<string, unknown> & { msg?: string; level: number };

/** A real server on a free port (listen on 0) around the telecom agent. */
export interface TestServer {
  url: string;
  app: FastifyInstance;
  telecom: TelecomAgent;
  logs: LogLine[];
  close(): Promise<void>;
}

export async function startTestServer(options: {
  store: TicketStore;
  llm?: LLM | LLM[];
  agent?: Partial<TelecomAgentOptions>;
  closeStore?: boolean;
  /** Default: [{@link TEST_OPERATOR}]; `[]` disables the operator routes. */
  operators?: OperatorCredential[];
  limits?: Partial<HttpLimits>;
}): Promise<TestServer> {
  const backend = new TelecomBackend({ latencyMs: 0 });
  const telecom = createTelecomAgent({
    store: options.store,
    backend,
    ...(options.llm ? { llm: options.llm } : {}),
    llmRetry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 },
    toolTimeoutMs: 1_000,
    ...options.agent,
  });
  const logs: LogLine[] = [];
  const app = await buildServer({
    agent: telecom.agent,
    store: options.store,
    logger: { level: 'info', stream: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) } },
    readinessTimeoutMs: 2_000,
    operators: options.operators ?? [TEST_OPERATOR],
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    app,
    telecom,
    logs,
    close: async () => {
      await app.close();
      if (options.closeStore !== false) await options.store.close();
    },
  };
}

/** What {@link request} resolves with; `body` is parsed JSON (or the raw text). */
export interface TestResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** A JSON request; returns status, headers and the parsed body (or the raw text). */
export async function request(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<TestResponse> {
  const hasBody = init.body !== undefined;
  const response = await fetch(url, {
    method: init.method ?? (hasBody ? 'POST' : 'GET'),
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...init.headers },
    ...(hasBody ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  let body: any;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body };
}
