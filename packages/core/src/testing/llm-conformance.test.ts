import { isDeepStrictEqual } from 'node:util';
import type { LLM, LLMGenerateOptions, LLMResponse } from '../llm/llm.js';
import { LLMError, type LLMErrorKind } from '../llm/llm-error.js';
import { redactSecrets } from '../errors/redact.js';
import { secretsOfHeaders } from '../errors/secrets-of-headers.js';
import { secretsOfUrl, stripUrlCredentials } from '../errors/secrets-of-url.js';
import { withDeadline } from '../util/deadline.js';
import { runLLMConformance } from './llm-conformance.js';
import { runHttpLLMConformance } from './llm-conformance-http.js';

// The suites must be passable: a scripted LLM passes the behavioural part, and a minimal
// fetch-based adapter of a made-up JSON protocol passes the HTTP part.

class ScriptedLLM implements LLM {
  readonly name = 'scripted';
  constructor(private readonly script: { answer?: string; fail?: LLMErrorKind; hang?: boolean }, private readonly timeoutMs: number) {}

  async generate(_prompt: string, options: LLMGenerateOptions = {}): Promise<LLMResponse> {
    if (options.signal?.aborted) throw new LLMError({ kind: 'timeout', provider: this.name, message: 'aborted by the caller' });
    if (this.script.fail) throw new LLMError({ kind: this.script.fail, provider: this.name, message: `scripted ${this.script.fail}` });
    if (this.script.hang) {
      const timeoutMs = options.timeoutMs ?? this.timeoutMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        options.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
      throw new LLMError({ kind: 'timeout', provider: this.name, message: `no answer after ${timeoutMs} ms` });
    }
    return { text: this.script.answer ?? '{}', model: 'scripted-1', latencyMs: 0, usage: { inputTokens: 1, outputTokens: 1 }, finishReason: 'stop' };
  }
}

runLLMConformance({
  name: 'scripted reference',
  create: (scenario, { timeoutMs }) =>
    new ScriptedLLM(scenario.type === 'answer' ? { answer: '{"intent":null}' } : scenario.type === 'hang' ? { hang: true } : { fail: scenario.kind }, timeoutMs),
  expectedAnswer: { text: '{"intent":null}', model: 'scripted-1', finishReason: 'stop' },
  capabilities: { defaultTimeout: true },
});

/** A reference HTTP adapter: POST {prompt, schema, temperature, maxTokens} → {text, model}. */
class ReferenceHttpLLM implements LLM {
  readonly name = 'reference';
  readonly #baseUrl: string;
  readonly #headers: Record<string, string>;
  readonly #secrets: string[];
  constructor(private readonly options: { baseUrl: string; apiKey: string; timeoutMs: number; headers?: Record<string, string> }) {
    const { url, authorization } = stripUrlCredentials(options.baseUrl) ?? { url: options.baseUrl, authorization: undefined };
    this.#baseUrl = url;
    this.#headers = { ...options.headers, ...(authorization ? { authorization } : {}) };
    this.#secrets = [options.apiKey, ...secretsOfHeaders(this.#headers), ...secretsOfUrl(options.baseUrl)];
  }

  async generate(prompt: string, options: LLMGenerateOptions = {}): Promise<LLMResponse> {
    // Scrub first, cut afterwards: a cut through a secret leaves a prefix no scrubber recognises.
    const fail = (kind: LLMErrorKind, message: string, extra: { status?: number; retryAfterMs?: number } = {}) =>
      new LLMError({ kind, provider: this.name, message: redactSecrets(message, this.#secrets).slice(0, 300), ...extra });
    if (options.signal?.aborted) throw fail('timeout', 'aborted by the caller');
    const deadline = withDeadline(options.timeoutMs ?? this.options.timeoutMs, options.signal);
    const started = performance.now();
    let response: Response;
    let body: string;
    try {
      response = await fetch(`${this.#baseUrl}/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': this.options.apiKey, ...this.#headers },
        body: JSON.stringify({ prompt, schema: options.jsonSchema, temperature: options.temperature, maxTokens: options.maxOutputTokens }),
        signal: deadline.signal,
      });
      body = await response.text();
    } catch {
      throw deadline.reason ? fail('timeout', deadline.describe()) : fail('unavailable', 'connection failed');
    } finally {
      deadline.dispose();
    }
    const status = response.status;
    if (status === 401 || status === 403) throw fail('auth', `HTTP ${status}`, { status });
    if (status === 429) {
      const seconds = Number(response.headers.get('retry-after'));
      throw fail('rate_limited', `HTTP 429`, { status, ...(Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: seconds * 1_000 } : {}) });
    }
    if (status >= 500) throw fail('unavailable', `HTTP ${status}: ${body}`, { status });
    if (status >= 400) throw fail('invalid_request', `HTTP ${status}: ${body}`, { status });
    let parsed: { text?: unknown; model?: unknown; stop?: unknown };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      throw fail('unavailable', 'malformed answer');
    }
    if (typeof parsed.text !== 'string' || typeof parsed.model !== 'string') throw fail('unavailable', 'malformed answer');
    if (parsed.stop === 'length') throw fail('invalid_output', 'cut off at the token limit');
    return { text: parsed.text, model: parsed.model, latencyMs: performance.now() - started, finishReason: 'stop' };
  }
}

runHttpLLMConformance({
  name: 'reference http',
  create: (context) => new ReferenceHttpLLM(context),
  wire: {
    success: { status: 200, body: '{"text":"{\\"intent\\":null}","model":"ref-1"}' },
    maxTokens: { status: 200, body: '{"text":"{\\"inte","model":"ref-1","stop":"length"}' },
    rate_limited: [{ status: 429, headers: { 'retry-after': '3' }, body: '{}', retryAfterMs: 3_000, label: 'a 429 with Retry-After 3' }],
    auth: [{ status: 401, body: '{"error":"bad key {{API_KEY}}"}', label: 'a 401 echoing the key' }],
    invalid_request: [{ status: 404, body: '{"error":"no such model"}' }],
  },
  expectedAnswer: { text: '{"intent":null}', model: 'ref-1', finishReason: 'stop' },
  structuredOutput: (body, schema) => isDeepStrictEqual((body as { schema?: unknown }).schema, schema),
  generationOptions: (body) => {
    const { temperature, maxTokens } = body as { temperature?: number; maxTokens?: number };
    return { temperature, maxOutputTokens: maxTokens };
  },
  capabilities: { retryAfterHeader: true, customHeaders: true, urlCredentials: true },
});
