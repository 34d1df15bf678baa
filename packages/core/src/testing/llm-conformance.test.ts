import { isDeepStrictEqual } from 'node:util';
import type { LLM, LLMGenerateOptions, LLMResponse } from '../llm/llm.js';
import { LLMError, type LLMErrorKind } from '../llm/llm-error.js';
import { runLLMConformance } from './llm-conformance.js';
import { runHttpLLMConformance } from './llm-conformance-http.js';
import { ReferenceHttpLLM } from './reference-http-llm.fixture.js';

// The suites must be passable: a scripted LLM passes the behavioural part, and a minimal
// fetch-based adapter of a made-up JSON protocol passes the HTTP part.

class ScriptedLLM implements LLM {
  readonly name = 'scripted';
  constructor(
    private readonly script: { answer?: string; fail?: LLMErrorKind; hang?: boolean },
    private readonly timeoutMs: number,
  ) {}

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
    new ScriptedLLM(
      scenario.type === 'answer' ? { answer: '{"intent":null}' } : scenario.type === 'hang' ? { hang: true } : { fail: scenario.kind },
      timeoutMs,
    ),
  expectedAnswer: { text: '{"intent":null}', model: 'scripted-1', finishReason: 'stop' },
  capabilities: { defaultTimeout: true },
});

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
