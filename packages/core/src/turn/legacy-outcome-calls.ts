import type { CompletedCall, TicketDoc, WorkflowOutcomeRecord } from '../model/ticket.js';
import type { Runtime } from '../runtime/runtime.js';
import { eventPages } from '../store/event-pages.js';

/**
 * Whether an outcome of a completed run lacks the calls that still stand: the older engine
 * (schema 1) did not record them. This engine records them (possibly none) for every
 * completed run, so only an upgraded document's outcomes can lack them.
 */
function lacksCalls(record: WorkflowOutcomeRecord): boolean {
  return (record.outcome === 'resolved' || record.outcome === 'escalated') && record.calls === undefined;
}

/** Whether {@link withLegacyCalls} has anything to do for this ticket (cheap: no I/O). */
export function hasOutcomesWithoutCalls(ticket: TicketDoc): boolean {
  for (const record of Object.values(ticket.outcomes)) if (lacksCalls(record)) return true;
  return false;
}

/**
 * An upgraded ticket with the calls of its earlier completed runs rebuilt from the event log
 * (E2a): a corrected, re-confirmed run must supersede (compensate) what the earlier run did —
 * before, an upgraded ticket ran on top of it, and credits added up. A call stands when its
 * step completed and no `step.compensated` names its key. Committed with the turn, so the log
 * is read once per upgraded ticket.
 */
export async function withLegacyCalls(runtime: Pick<Runtime, 'store'>, ticket: TicketDoc): Promise<TicketDoc> {
  const runs = await completedRunsInLog(runtime, ticket.id);
  const outcomes = { ...ticket.outcomes };
  for (const [workflow, record] of Object.entries(outcomes)) {
    if (!lacksCalls(record)) continue;
    outcomes[workflow] = { ...record, calls: runs.calls(workflow, record.turn) };
  }
  return { ...ticket, outcomes };
}

interface LoggedCall extends CompletedCall {
  completed: boolean;
}

async function completedRunsInLog(runtime: Pick<Runtime, 'store'>, ticketId: string) {
  const runs = new Map<string, LoggedCall[]>();
  const compensated = new Set<string>();
  let current: LoggedCall[] | null = null;
  for await (const page of eventPages(runtime.store, ticketId)) {
    for (const event of page) {
      if (event.type === 'execution.started') {
        current = [];
        runs.set(`${event.data.workflow}\u0000${event.data.turn}`, current);
      } else if (event.type === 'step.started' && current) {
        current.push({ tool: event.data.tool, key: event.data.key, input: event.data.input, output: undefined, completed: false });
      } else if (event.type === 'step.completed') {
        const call = current?.find((candidate) => candidate.key === event.data.key);
        if (call) Object.assign(call, { output: event.data.output, completed: true });
      } else if (event.type === 'step.compensated') compensated.add(event.data.key);
    }
  }
  return {
    calls: (workflow: string, turn: number): CompletedCall[] =>
      (runs.get(`${workflow}\u0000${turn}`) ?? [])
        .filter((call) => call.completed && !compensated.has(call.key))
        .map(({ tool, key, input, output }) => ({ tool, key, input, output })),
  };
}
