import { createAgent, MemoryStoreData, MemoryTicketStore, type LLM } from '@ticketflow/core';
import { createBenchDomain } from '../bench-domain.js';

export interface GrowthResult {
  /** Prompt characters and ticket document bytes at the given turns of one ticket. */
  byTurn: { turn: number; promptChars: number; documentBytes: number }[];
  promptRatio200to10: number;
  /** Heap per idle ticket in MemoryTicketStore, from 10,000 tickets. */
  heapBytesPerIdleTicket: number | null;
}

/** Growth (issue 7, scenario 4): prompt and document size over 200 turns; heap per idle ticket. */
export async function growth(options: { idleTickets: number }): Promise<GrowthResult> {
  const domain = createBenchDomain();
  let lastPrompt = '';
  const llm: LLM = {
    name: 'recording',
    async generate(prompt) {
      lastPrompt = prompt;
      return { text: '{"intent":"no_internet","confidence":0.9,"entities":{}}', model: 'recording-1', latencyMs: 0 };
    },
  };
  const data = new MemoryStoreData();
  const agent = createAgent({ store: new MemoryTicketStore({ data }), llm, ...domain });
  const checkpoints = new Set([1, 10, 50, 200]);
  const byTurn: GrowthResult['byTurn'] = [];
  for (let turn = 1; turn <= 200; turn += 1) {
    const result = await agent.handle({ ticketId: 'growth', message: `my internet is still down, attempt number ${turn}`, messageId: `m-${turn}` });
    if (checkpoints.has(turn)) {
      const stored = data.entries.values().next().value as { document: string };
      byTurn.push({ turn, promptChars: lastPrompt.length, documentBytes: Buffer.byteLength(stored.document) });
      void result;
    }
  }
  const at10 = byTurn.find((entry) => entry.turn === 10)!.promptChars;
  const at200 = byTurn.find((entry) => entry.turn === 200)!.promptChars;
  return { byTurn, promptRatio200to10: Math.round((at200 / at10) * 100) / 100, heapBytesPerIdleTicket: await heapPerIdleTicket(options.idleTickets) };
}

async function heapPerIdleTicket(count: number): Promise<number | null> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) return null;
  const domain = createBenchDomain();
  const llm: LLM = { name: 'idle', generate: async () => ({ text: '{"intent":"no_internet","confidence":0.9,"entities":{"service_type":"fiber"}}', model: 'idle-1', latencyMs: 0 }) };
  const data = new MemoryStoreData();
  const agent = createAgent({ store: new MemoryTicketStore({ data }), llm, ...domain });
  collect();
  const before = process.memoryUsage().heapUsed;
  for (let index = 0; index < count; index += 1) await agent.handle({ ticketId: `idle-${index}`, message: 'my fiber internet is down' });
  collect();
  const after = process.memoryUsage().heapUsed;
  return Math.round((after - before) / count);
}
