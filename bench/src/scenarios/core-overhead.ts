import { createAgent, LLMError, MemoryStoreData, MemoryTicketStore } from '@ticketflow/core';
import { createBenchDomain, instantLLM } from '../bench-domain.js';
import { measure, type Measurement } from '../measure.js';

export interface CoreOverheadResult {
  measurements: Measurement[];
  /** Median per-turn overhead of `handle` over the floor, per kind of turn (µs). */
  overheadUs: Record<string, number>;
}

/**
 * Core overhead (issue 7, scenario 1): `handle` on MemoryTicketStore with an instant LLM,
 * for an ask turn, an execute turn (two tools) and a degraded turn (LLM failing), against
 * the floor of a bare `structuredClone` of the same ticket document plus a `Map` write.
 */
export async function coreOverhead(options: { iterations: number; warmup: number }): Promise<CoreOverheadResult> {
  const domain = createBenchDomain();
  const build = (llm: ReturnType<typeof instantLLM> | { name: string; generate: () => Promise<never> }) => {
    const data = new MemoryStoreData();
    return { data, agent: createAgent({ store: new MemoryTicketStore({ data }), llm, ...domain }) };
  };

  const ask = build(instantLLM(() => '{"intent":"no_internet","confidence":0.9,"entities":{}}'));
  const askTurn = await measure('handle: ask turn', (index) => ask.agent.handle({ ticketId: 'bench-ask', message: `my internet is down (${index})` }), options);

  const execute = build(instantLLM((index) => `{"intent":"no_internet","confidence":0.9,"entities":{"service_type":"fiber","region":"Region ${index}"}}`));
  const executeTurn = await measure('handle: execute turn (2 tools)', (index) => execute.agent.handle({ ticketId: 'bench-execute', message: `still down in region ${index}` }), options);

  const failing = build({ name: 'down', generate: () => Promise.reject(new LLMError({ kind: 'auth', provider: 'down', message: 'invalid key' })) });
  const degradedTurn = await measure('handle: degraded turn (LLM failing)', (index) => failing.agent.handle({ ticketId: 'bench-degraded', message: `hello ${index}` }), options);

  const document = JSON.parse((ask.data.entries.values().next().value as { document: string }).document) as object;
  const floorMap = new Map<string, unknown>();
  const floor = await measure('floor: structuredClone + Map.set', () => floorMap.set('bench', structuredClone(document)), options);
  floor.extra = { documentBytes: JSON.stringify(document).length };

  const overheadUs = {
    ask: Math.round(askTurn.medianUs - floor.medianUs),
    execute: Math.round(executeTurn.medianUs - floor.medianUs),
    degraded: Math.round(degradedTurn.medianUs - floor.medianUs),
  };
  return { measurements: [askTurn, executeTurn, degradedTurn, floor], overheadUs };
}
