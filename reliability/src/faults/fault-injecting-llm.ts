import { type LLM, LLM_ERROR_KINDS, LLMError, type LLMErrorKind, type LLMGenerateOptions, type LLMResponse } from '@ticketflow/core';
import type { SeededRandom } from './seeded-random.js';

/** The faults the wrapper injects: every `LLMError` kind, broken answers, and hangs. */
export type LLMFaultKind = LLMErrorKind | 'invalid_json' | 'schema_invalid' | 'hang';

/** Every {@link LLMFaultKind}, each drawn with the same probability. */
export const LLM_FAULT_KINDS: readonly LLMFaultKind[] = [...LLM_ERROR_KINDS, 'invalid_json', 'schema_invalid', 'hang'];

/** Options of {@link FaultInjectingLLM}. */
export interface FaultInjectingLLMOptions {
  /** Share of calls that fail, 0..1. */
  rate: number;
  /** Draws which calls fail and how (seeded, so a run can be replayed). */
  random: SeededRandom;
  /** Told about every injected fault (e.g. to count it durably). */
  onFault?: (kind: LLMFaultKind) => void;
}

/**
 * Wraps an LLM and makes a share of its calls fail the way real providers do: each
 * `LLMError` kind (thrown like an adapter would), an answer that is not JSON, JSON that
 * fails the decision schema, and a call that hangs until the caller's signal aborts it
 * (past the agent's `llmTimeoutMs`). The other calls go to the wrapped LLM.
 */
export class FaultInjectingLLM implements LLM {
  readonly name: string;

  constructor(
    private readonly inner: LLM,
    private readonly options: FaultInjectingLLMOptions,
  ) {
    this.name = inner.name;
  }

  async generate(prompt: string, options: LLMGenerateOptions = {}): Promise<LLMResponse> {
    const { random, rate } = this.options;
    if (!random.chance(rate)) return this.inner.generate(prompt, options);
    const kind = random.pick(LLM_FAULT_KINDS);
    this.options.onFault?.(kind);
    switch (kind) {
      case 'invalid_json':
        return { text: '{"intent": "no_internet", "confidence": 0.9, "entities": {"region": "Berl', model: 'faulty', latencyMs: 1, finishReason: 'stop' };
      case 'schema_invalid':
        return { text: JSON.stringify({ intent: ['no_internet'], confidence: 7, entities: 'Berlin' }), model: 'faulty', latencyMs: 1, finishReason: 'stop' };
      case 'hang':
        return hangUntilAborted(this.name, options.signal);
      default:
        throw new LLMError({ kind, provider: this.name, message: `injected ${kind}`, ...(kind === 'rate_limited' ? { retryAfterMs: 10, status: 429 } : {}) });
    }
  }
}

function hangUntilAborted(provider: string, signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_resolve, reject) => {
    const timedOut = () => reject(new LLMError({ kind: 'timeout', provider, message: 'injected hang: aborted by the caller' }));
    if (signal?.aborted) return timedOut();
    signal?.addEventListener('abort', timedOut, { once: true });
  });
}
