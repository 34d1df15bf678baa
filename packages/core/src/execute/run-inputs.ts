import type { SlotValue, TicketDoc } from '../model/ticket.js';
import type { WorkflowDefinition } from '../model/workflow.js';

/** The workflow's required and optional slots as stored now: what an execution starts with (see `ExecutionRecord.inputs`). */
export function runInputs(slots: TicketDoc['slots'], workflow: WorkflowDefinition): Record<string, SlotValue> {
  const inputs: Record<string, SlotValue> = {};
  for (const slot of [...workflow.required, ...workflow.optional] as readonly { name: string }[]) {
    if (Object.hasOwn(slots, slot.name)) inputs[slot.name] = slots[slot.name]!;
  }
  return inputs;
}

/**
 * The ticket as its execution's run sees it (E1, E6): the workflow's required and optional
 * slots as they were when the run started (`execution.inputs`), the other slots as they are
 * now. A ticket without recorded inputs (an execution from before they were recorded) is
 * returned as it is.
 */
export function ticketAsRun(ticket: TicketDoc, workflow: WorkflowDefinition | undefined): TicketDoc {
  const inputs = ticket.execution?.inputs;
  if (!inputs || !workflow) return ticket;
  const slots: TicketDoc['slots'] = { ...ticket.slots };
  for (const slot of [...workflow.required, ...workflow.optional] as readonly { name: string }[]) delete slots[slot.name];
  return { ...ticket, slots: { ...slots, ...inputs } };
}
