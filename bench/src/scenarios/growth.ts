import { createAgent, MemoryStoreData, MemoryTicketStore, type LLM } from '@ticketflow/core';
import { benchMessage, createBenchDomain } from '../bench-domain.js';

/** Turns of one ticket at which prompt and document are measured. */
export const GROWTH_TURNS = [1, 10, 50, 100, 200] as const;

export interface GrowthResult {
  /** Prompt characters and ticket document bytes (UTF-8 JSON, as stored) at the given turns of one ticket. */
  byTurn: { turn: number; promptChars: number; documentBytes: number }[];
  promptRatio200to10: number;
  /** Document at turn 200 over the document at turn 100: ~1 once the windows are full. */
  documentRatio200to100: number;
  idleTickets: number;
  /** Heap per idle ticket in MemoryTicketStore (one ask turn each), or null without `--expose-gc`. */
  heapBytesPerIdleTicket: number | null;
}

/**
 * Scenario 4: the prompt and the document over 200 turns of one ticket (ask turns with a
 * messageId each, so both windows — transcript and processed messageIds — fill), and the
 * heap that idle tickets take in MemoryTicketStore.
 */
export async function runGrowth(options: { idleTickets: number }): Promise<GrowthResult> {
  let lastPrompt = '';
  const llm: LLM = {
    name: 'recording',
    async generate(prompt) {
      lastPrompt = prompt;
      return { text: '{"intent":"no_internet","confidence":0.9,"entities":{}}', model: 'recording-1', latencyMs: 0 };
    },
  };
  const store = new MemoryTicketStore();
  const agent = createAgent({ store, llm, ...createBenchDomain() });
  const checkpoints = new Set<number>(GROWTH_TURNS);
  const byTurn: GrowthResult['byTurn'] = [];
  for (let turn = 1; turn <= 200; turn += 1) {
    await agent.handle(benchMessage('growth', turn));
    if (checkpoints.has(turn)) {
      // The bytes a store writes for the document (encodeCommitRequest is JSON.stringify of it).
      const stored = await store.load('growth');
      byTurn.push({ turn, promptChars: lastPrompt.length, documentBytes: Buffer.byteLength(JSON.stringify(stored!.ticket)) });
    }
  }
  const at = (turn: number) => byTurn.find((entry) => entry.turn === turn)!;
  return {
    byTurn,
    promptRatio200to10: Math.round((at(200).promptChars / at(10).promptChars) * 100) / 100,
    documentRatio200to100: Math.round((at(200).documentBytes / at(100).documentBytes) * 100) / 100,
    idleTickets: options.idleTickets,
    heapBytesPerIdleTicket: await heapPerIdleTicket(options.idleTickets),
  };
}

async function heapPerIdleTicket(count: number): Promise<number | null> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) return null;
  const llm: LLM = {
    name: 'idle',
    generate: async () => ({ text: '{"intent":"no_internet","confidence":0.9,"entities":{"service_type":"fiber"}}', model: 'idle-1', latencyMs: 0 }),
  };
  const data = new MemoryStoreData();
  const agent = createAgent({ store: new MemoryTicketStore({ data }), llm, ...createBenchDomain() });
  collect();
  const before = process.memoryUsage().heapUsed;
  for (let index = 0; index < count; index += 1) await agent.handle(benchMessage(`idle-${index}`, 0));
  collect();
  const after = process.memoryUsage().heapUsed;
  return Math.round((after - before) / count);
}
