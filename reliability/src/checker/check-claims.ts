import type { LedgerCall } from '../ledger/ledger-records.js';
import type { SequenceFindings } from './check-sequence.js';
import type { InstanceStop, TicketHistory, Violation } from './history.js';
import { parseIdempotencyKey } from './idempotency-key.js';

/**
 * Rule `claims-respected` (issue 12 item 3): no execution whose worker was alive is taken over,
 * whatever the workers' clocks say. The log names the previous owner of every recovered
 * execution (`execution.recovery_started`); the backend's ledger says when another instance
 * undid that execution's steps (real time, one clock). If the previous owner was neither dead,
 * frozen nor cut off at that moment — nor had given up on the ticket — a live execution was
 * taken over. Undo calls of the turn's earlier owners (taken over before) do not count: a
 * worker that compensated its own steps and then died is not the takeover of the worker that
 * recovered after it. Recoveries of executions that had run no step leave no trace in the
 * ledger and are not judged.
 */
export function checkClaims(ticket: TicketHistory, sequence: SequenceFindings, calls: readonly LedgerCall[], stops: readonly InstanceStop[]): Violation[] {
  const violations: Violation[] = [];
  // Per turn, the owners taken over so far: their own undo calls (compensating before they
  // stopped, or late as zombies) never time the takeover of a later owner.
  const earlierOwners = new Map<number, Set<string>>();
  for (const event of ticket.events) {
    if (event.type !== 'execution.recovery_started') continue;
    const owner = String(event.data?.previousOwner);
    const turn = Number(event.data?.turn);
    const earlier = earlierOwners.get(turn) ?? new Set<string>();
    earlierOwners.set(turn, new Set([...earlier, owner]));
    const keys = new Set([...sequence.executionOfKey.keys()].filter((key) => parseIdempotencyKey(key)?.turn === turn));
    const undone = calls
      .filter((call) => call.kind === 'undo' && keys.has(call.key) && call.worker !== owner && !earlier.has(call.worker))
      .map((call) => Date.parse(call.at));
    if (undone.length === 0) continue;
    const at = Math.min(...undone);
    const stopped = stops.some(
      (stop) =>
        stop.instance === owner && (stop.ticketId === undefined || stop.ticketId === ticket.ticketId) && stop.from <= at && (stop.to === null || at <= stop.to),
    );
    if (!stopped) {
      violations.push({
        rule: 'claims-respected',
        ticketId: ticket.ticketId,
        unit: `${ticket.ticketId}#${event.seq}`,
        detail: `seq ${event.seq}: the execution of turn ${turn} was taken over from ${owner} (its steps undone by another instance at ${new Date(at).toISOString()}) while ${owner} was alive and renewing its claim (observed ${String(event.data?.observedMs)} ms)`,
      });
    }
  }
  return violations;
}
