import { MockLLM } from '@ticketflow/llm-mock';
import { decideTelecom } from './decide-telecom.js';

/** Options of {@link createTelecomLLM}. */
export interface TelecomLLMOptions {
  /** Simulated model latency per call, in ms. Default 0. */
  latencyMs?: number;
  /** Provider name in events and in the fallback chain. Default `mock`. */
  name?: string;
}

/**
 * The offline "LLM" of the example: a {@link MockLLM} whose answers come from telecom
 * keyword rules and extractors ({@link decideTelecom}). No network, no API key,
 * deterministic. `enqueue`, `failNext` and `hangNext` still inject answers and faults.
 *
 * @example
 * ```ts
 * const llm = createTelecomLLM();
 * llm.failNext('unavailable', 3); // the next three calls fail: an LLM outage
 * ```
 */
export function createTelecomLLM(options: TelecomLLMOptions = {}): MockLLM {
  return new MockLLM({
    name: options.name ?? 'mock',
    model: 'telecom-rules-1',
    respond: (prompt) => decideTelecom(prompt),
    ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}),
  });
}
