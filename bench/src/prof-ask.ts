import { createAgent, MemoryStoreData, MemoryTicketStore } from '@ticketflow/core';
import { createBenchDomain, instantLLM } from '/work/main/bench/src/bench-domain.ts';
const domain = createBenchDomain();
const data = new MemoryStoreData();
const agent = createAgent({ store: new MemoryTicketStore({ data }), llm: instantLLM(() => '{"intent":"no_internet","confidence":0.9,"entities":{}}'), ...domain });
for (let i = 0; i < 3000; i++) await agent.handle({ ticketId: 'a', message: `my internet is down (${i})` });
const t = performance.now();
for (let i = 0; i < 20000; i++) await agent.handle({ ticketId: 'a', message: `my internet is down (${i})` });
console.log('us/turn', ((performance.now() - t) * 1000 / 20000).toFixed(1));
