import { httpCredentials } from '../errors/http-credentials.js';
import { redactSecrets } from '../errors/redact.js';
import type { LLM, LLMGenerateOptions, LLMResponse } from '../llm/llm.js';
import { LLMError, type LLMErrorKind } from '../llm/llm-error.js';
import { withDeadline } from '../util/deadline.js';

/**
 * How a deliberately broken variant leaks (for the test that the gateway suite catches it):
 * `api-key-only` scrubs the key but not the gateway's headers or URL userinfo (GeminiLLM before
 * issue 12.13), `raw-only` scrubs secrets only as written (not percent- or base64-encoded),
 * `cause` scrubs the message but keeps the raw body in the cause.
 */
export type ReferenceLeak = 'api-key-only' | 'raw-only' | 'cause';

/** Options of {@link ReferenceHttpLLM}: the conformance context, and a leak for the broken variants. */
export interface ReferenceHttpLLMOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  headers?: Record<string, string>;
  leak?: ReferenceLeak;
}

/**
 * A reference HTTP adapter of a made-up JSON protocol (POST {prompt, schema, temperature,
 * maxTokens} → {text, model}): proof that the HTTP conformance suite is passable, and, with a
 * `leak`, that its gateway tests fail an adapter that leaks.
 */
export class ReferenceHttpLLM implements LLM {
  readonly name = 'reference';
  readonly #url: string;
  readonly #headers: Record<string, string>;
  readonly #secrets: string[];
  readonly #timeoutMs: number;
  readonly #leak: ReferenceLeak | undefined;

  constructor(options: ReferenceHttpLLMOptions) {
    this.#timeoutMs = options.timeoutMs;
    this.#leak = options.leak;
    const credentials = httpCredentials({ url: options.baseUrl, headers: options.headers, secrets: [options.apiKey] });
    this.#url = credentials.url;
    this.#headers = { 'content-type': 'application/json', 'x-api-key': options.apiKey, ...credentials.headers };
    this.#secrets = options.leak === 'api-key-only' ? [options.apiKey] : credentials.secrets;
  }

  async generate(prompt: string, options: LLMGenerateOptions = {}): Promise<LLMResponse> {
    if (options.signal?.aborted) throw this.#fail('timeout', 'aborted by the caller');
    const deadline = withDeadline(options.timeoutMs ?? this.#timeoutMs, options.signal);
    const started = performance.now();
    let response: Response;
    let body: string;
    try {
      const request = { prompt, schema: options.jsonSchema, temperature: options.temperature, maxTokens: options.maxOutputTokens };
      // `redirect: 'manual'`: a redirect is a failure, never followed (it would send the headers to another origin, §6 O4).
      response = await fetch(`${this.#url}/generate`, {
        method: 'POST',
        headers: this.#headers,
        body: JSON.stringify(request),
        signal: deadline.signal,
        redirect: 'manual',
      });
      body = await response.text();
    } catch {
      throw deadline.reason ? this.#fail('timeout', deadline.describe()) : this.#fail('unavailable', 'connection failed');
    } finally {
      deadline.dispose();
    }
    const status = response.status;
    if (status === 401 || status === 403) throw this.#fail('auth', `HTTP ${status}: ${body}`, { status });
    if (status === 429) {
      const seconds = Number(response.headers.get('retry-after'));
      throw this.#fail('rate_limited', `HTTP 429: ${body}`, { status, ...(Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: seconds * 1_000 } : {}) });
    }
    if (status >= 400) throw this.#fail(status >= 500 ? 'unavailable' : 'invalid_request', `HTTP ${status}: ${body}`, { status });
    let parsed: { text?: unknown; model?: unknown; stop?: unknown } | undefined;
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      parsed = undefined;
    }
    if (typeof parsed?.text !== 'string' || typeof parsed.model !== 'string') throw this.#fail('unavailable', 'malformed answer');
    if (parsed.stop === 'length') throw this.#fail('invalid_output', 'cut off at the token limit');
    return { text: parsed.text, model: parsed.model, latencyMs: performance.now() - started, finishReason: 'stop' };
  }

  /** Scrubs first, cuts afterwards: a cut through a secret leaves a prefix no scrubber recognises. */
  #fail(kind: LLMErrorKind, message: string, extra: { status?: number; retryAfterMs?: number } = {}): LLMError {
    const leak = this.#leak;
    const scrubbed =
      leak === 'raw-only' ? this.#secrets.reduce((text, secret) => text.split(secret).join('***'), message) : redactSecrets(message, this.#secrets);
    const cause = leak === 'cause' ? new Error(message) : undefined;
    return new LLMError({ kind, provider: this.name, message: scrubbed.slice(0, 300), cause, ...extra });
  }
}
