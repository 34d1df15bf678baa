// Run only by broken-stores.test.ts, in a child vitest (see broken-stores.vitest.config.ts):
// the exported suite against the reference store and against each deliberately broken one.
import { MemoryStoreData, MemoryTicketStore } from '../../store/memory-ticket-store.js';
import { runTicketStoreConformance } from '../ticket-store-conformance.js';
import { BROKEN_STORES, wipeBrokenStore } from './broken-ticket-stores.js';

const reference = new MemoryStoreData();
runTicketStoreConformance({
  name: 'reference memory',
  create: ({ namespace }) => new MemoryTicketStore({ data: reference, namespace }),
  capabilities: { persistent: true, wipe: ({ namespace }) => reference.wipe(namespace) },
});

for (const [name, create] of Object.entries(BROKEN_STORES)) {
  const data = new MemoryStoreData();
  runTicketStoreConformance({
    name: `broken ${name}`,
    create: ({ namespace }) => create(data, namespace),
    capabilities: { persistent: true, wipe: ({ namespace }) => wipeBrokenStore(data, namespace) },
  });
}
