import type { StoredEventRecord as StoredTicketEvent } from '@ticketflow/core';

/** The turns whose execution completed, read from the event log. */
export function completedExecutionTurns(events: readonly StoredTicketEvent[]): Set<number> {
  const completed = new Set<number>();
  let current: number | null = null;
  for (const event of events) {
    if (event.type === 'execution.started') current = Number(event.data?.turn);
    if (event.type === 'execution.completed' && current !== null) completed.add(current);
    if (event.type === 'execution.failed' || event.type === 'execution.recovered') current = null;
  }
  return completed;
}

/** The turn encoded in an idempotency key `<ticket>:<turn>:<step>`. */
export function turnOfKey(key: string): number {
  const parts = key.split(':');
  return Number(parts[parts.length - 2]);
}

/** Checks that no two executions interleave in an event log (T6). */
export function assertNoInterleaving(events: readonly StoredTicketEvent[]): void {
  let open = false;
  for (const event of events) {
    if (event.type === 'execution.started') {
      if (open) throw new Error(`execution started at seq ${event.seq} while another was running`);
      open = true;
    }
    if (event.type === 'message.received' && open) throw new Error(`message received at seq ${event.seq} during an execution`);
    if (['execution.completed', 'execution.failed', 'execution.recovered', 'approval.requested'].includes(event.type)) open = false;
  }
}

/** Sequence numbers are 1..n without gaps. */
export function assertGapFree(events: readonly StoredTicketEvent[]): void {
  events.forEach((event, index) => {
    if (event.seq !== index + 1) throw new Error(`seq ${event.seq} at position ${index + 1}`);
  });
}
