import { createTelecomDomain, TelecomBackend } from '@ticketflow/example-telecom-support';

/** The backend operations of the telecom domain whose tool declares a compensation. */
export function compensableOperations(): Set<string> {
  const { tools } = createTelecomDomain(new TelecomBackend({ latencyMs: 0 }));
  return new Set(Object.values(tools).filter((tool) => tool.compensate !== undefined).map((tool) => tool.name));
}
