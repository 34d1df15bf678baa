import { type LLM, LLMError, type LLMGenerateOptions, type LLMResponse } from '@ticketflow/core';
import { type Deadline, withDeadline } from '@ticketflow/core/adapter';
import { Ollama, type ChatRequest, type Options } from 'ollama';
import { checkOllamaOptions } from './check-ollama-options.js';
import { mapOllamaError, withoutSecrets, type WireTrace } from './map-ollama-error.js';
import { OllamaHttpError } from './ollama-http-error.js';
import { readOllamaResponse, type OllamaChatBody } from './read-ollama-response.js';

/** Options of {@link OllamaLLM}. */
export interface OllamaLLMOptions {
  /**
   * Ollama server; default `http://127.0.0.1:11434` (the ollama client's forms apply: `localhost:11434`, `:11434`).
   * `http://user:password@proxy:11434` is sent as `Authorization: Basic …` (never with an `Authorization` header too).
   */
  host?: string | undefined;
  /** Model name as pulled (`ollama pull phi3`); default `phi3`. */
  model?: string | undefined;
  /** How long the runtime keeps the model loaded after a call (`keep_alive`), e.g. `'10m'`, `-1`. Default: the server's. */
  keepAlive?: string | number | undefined;
  /** Model options sent with every call (`num_ctx`, `top_k`, `seed`, …); per-call `temperature`/`maxOutputTokens` win. */
  options?: Partial<Options> | undefined;
  /** Timeout of a call that passes no `timeoutMs`, in ms; default 60 000 (local models load slowly). */
  timeoutMs?: number | undefined;
  /** HTTP headers on every request (e.g. `Authorization: Bearer …` for a proxy or ollama.com); no value ever appears in an error. */
  headers?: Record<string, string> | undefined;
  /** Name in events, errors and the fallback chain; default `ollama`. */
  name?: string | undefined;
  /** A `fetch` implementation (proxies, tests); default the global `fetch`. */
  fetch?: typeof fetch | undefined;
}

/**
 * An {@link LLM} on a local Ollama runtime (Phi-3, Llama, Mistral, …) through the official
 * `ollama` client, on `/api/chat` with `stream: false`.
 *
 * - one `generate` is one HTTP request; `timeoutMs` and the caller's `signal` abort that
 *   request only (each call has its own abort signal: the client's `abort()` would end every
 *   call of a shared client);
 * - `jsonSchema` goes into `format` (Ollama's structured outputs); without it no `format` is sent;
 * - `temperature` → `options.temperature`, `maxOutputTokens` → `options.num_predict`;
 * - every failure is an {@link LLMError} (see the README); a model that is not pulled is
 *   `invalid_request` with the `ollama pull` command, a runtime that is down is `unavailable`,
 *   an answer cut off at `num_predict` (`done_reason: 'length'`) is `invalid_output`.
 *
 * @example
 * ```ts
 * const local = new OllamaLLM({ model: 'phi3', keepAlive: '10m' });
 * const { text } = await local.generate('Reply with {"ok":true}', { jsonSchema: { type: 'object' }, temperature: 0 });
 * ```
 */
export class OllamaLLM implements LLM {
  /** Provider name in events, errors and the fallback chain (`ollama` unless the `name` option says otherwise). */
  readonly name: string;
  /** The model requests go to. */
  readonly model: string;
  /** The Ollama server (without the credentials of `user:password@`). */
  readonly host: string;
  readonly #keepAlive: string | number | undefined;
  readonly #modelOptions: Partial<Options>;
  readonly #timeoutMs: number;
  readonly #headers: Record<string, string>;
  readonly #secrets: readonly string[];
  readonly #fetch: typeof fetch;

  /**
   * @throws {ConfigurationError} listing every problem of `options` at once: unknown keys (with
   * the closest valid one, also among the model `options`), bad values, `user:password@` in
   * `host` together with an `Authorization` header.
   */
  constructor(input: OllamaLLMOptions = {}) {
    const { options, credentials } = checkOllamaOptions(input);
    this.name = options.name ?? 'ollama';
    this.model = options.model ?? 'phi3';
    this.host = credentials.url;
    this.#keepAlive = options.keepAlive;
    this.#modelOptions = { ...options.options };
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#headers = credentials.headers;
    this.#secrets = credentials.secrets;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /**
   * Sends one prompt as one HTTP request (see {@link LLM.generate}).
   *
   * @throws {LLMError} for every failure, mapped as the package README's table says.
   */
  async generate(prompt: string, options: LLMGenerateOptions = {}): Promise<LLMResponse> {
    if (options.signal?.aborted) {
      throw new LLMError({ kind: 'timeout', provider: this.name, message: 'the call was aborted by the caller before it started' });
    }
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs)) {
      throw new LLMError({ kind: 'invalid_request', provider: this.name, message: `timeoutMs must be a number of milliseconds (got ${typeof timeoutMs})` });
    }
    // A spent budget (0 or less) times out at once rather than being refused.
    const deadline = withDeadline(Math.max(0, timeoutMs), options.signal);
    const wire: WireTrace = { sent: false };
    const started = performance.now();
    try {
      // A client per call: its fetch carries this call's signal, so aborting one call ends one request.
      const client = new Ollama({ host: this.host, fetch: this.#callFetch(deadline, wire), headers: this.#headers });
      const body = await client.chat({ ...this.#request(prompt, options), stream: false });
      return readOllamaResponse(body as OllamaChatBody, { provider: this.name, model: this.model, latencyMs: performance.now() - started });
    } catch (error) {
      if (LLMError.isInstance(error)) throw withoutSecrets(error, this.#secrets);
      throw mapOllamaError(error, { provider: this.name, model: this.model, host: this.host, secrets: this.#secrets, deadline, wire });
    } finally {
      deadline.dispose();
    }
  }

  #request(prompt: string, options: LLMGenerateOptions): ChatRequest {
    const modelOptions: Partial<Options> = { ...this.#modelOptions };
    if (options.temperature !== undefined) modelOptions.temperature = options.temperature;
    if (options.maxOutputTokens !== undefined) modelOptions.num_predict = options.maxOutputTokens;
    const request: ChatRequest = { model: this.model, messages: [{ role: 'user', content: prompt }] };
    if (options.jsonSchema) request.format = options.jsonSchema;
    if (this.#keepAlive !== undefined) request.keep_alive = this.#keepAlive;
    if (Object.keys(modelOptions).length > 0) request.options = modelOptions;
    return request;
  }

  /** Sends with this call's signal, records what reached the wire, and hands non-2xx answers to the mapping whole. */
  #callFetch(deadline: Deadline, wire: WireTrace): typeof fetch {
    return async (input, init) => {
      wire.sent = true;
      // A redirect is answered as the failure it is, never followed: following one would send
      // the app's headers (a proxy's credentials) to another origin, and make one generate more than one request.
      const response = await this.#fetch(input, { ...init, signal: deadline.signal, redirect: 'manual' });
      wire.status = response.status;
      if (!response.ok) throw new OllamaHttpError(response.status, await response.text(), response.headers.get('retry-after'));
      return response;
    };
  }
}
