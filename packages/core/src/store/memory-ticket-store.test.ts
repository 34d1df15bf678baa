import { runTicketStoreConformance } from '../testing/ticket-store-conformance.js';
import { MemoryStoreData, MemoryTicketStore } from './memory-ticket-store.js';

const shared = new MemoryStoreData();

runTicketStoreConformance({
  name: 'memory',
  create: ({ namespace }) => new MemoryTicketStore({ namespace, data: shared }),
  capabilities: { persistent: true, wipe: ({ namespace }) => shared.wipe(namespace) },
});
