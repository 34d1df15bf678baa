import { ticketDocSchema } from '@ticketflow/core';
import type { TicketHistory, Violation } from './history.js';

/** The parts of a stored document the rules read. */
export interface DocumentShape {
  id?: unknown;
  turn?: unknown;
  status?: unknown;
  execution?: {
    turn?: unknown;
    leaseExpiresAt?: unknown;
    awaiting?: unknown;
    steps?: { key?: unknown; state?: unknown; tool?: unknown }[];
  } | null;
}

/** Statuses in which an execution waits without a lease (E6, approvals). */
const PARKED = new Set(['awaiting_approval', 'awaiting_input']);

/**
 * Rules `schema-valid` and `settled` for one ticket. `schema-valid`: the ticket loads (no
 * error), exists when its log or an acknowledgement of its current life says it should,
 * validates against `ticketDocSchema` and carries its own id. `settled` (after the sweeper
 * ran): the status is not `executing`, and the document holds no execution unless it is
 * parked — waiting for an approval or for the customer's answer, without a lease.
 */
export function checkDocument(history: TicketHistory, expected: boolean): { violations: Violation[]; document: DocumentShape | null } {
  const { ticketId } = history;
  const violations: Violation[] = [];
  const fail = (rule: Violation['rule'], detail: string) => violations.push({ rule, ticketId, detail });
  if (history.loadError !== undefined) {
    fail('schema-valid', `the ticket does not load: ${history.loadError}`);
    return { violations, document: null };
  }
  if (history.document === null || history.document === undefined) {
    if (expected || history.events.length > 0) fail('schema-valid', `the store has no document, but ${history.events.length} events and acknowledged messages`);
    return { violations, document: null };
  }
  const parsed = ticketDocSchema.safeParse(history.document);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'} = ${JSON.stringify(valueAt(history.document, issue.path))?.slice(0, 60)}: ${issue.message}`);
    fail('schema-valid', `the document fails ticketDocSchema: ${issues.join('; ')}`);
  }
  const document = history.document as DocumentShape;
  if (document.id !== ticketId) fail('schema-valid', `the document's id is ${JSON.stringify(document.id)}`);
  if (document.status === 'executing') fail('settled', 'the ticket is still executing');
  const execution = document.execution ?? null;
  if (execution !== null && !(PARKED.has(String(document.status)) && execution.leaseExpiresAt === null)) {
    fail(
      'settled',
      `the ticket still holds a claim (execution of turn ${String(execution.turn)}, lease ${String(execution.leaseExpiresAt)}, status ${String(document.status)})`,
    );
  }
  return { violations, document };
}

function valueAt(document: unknown, path: readonly PropertyKey[]): unknown {
  let value = document;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}
