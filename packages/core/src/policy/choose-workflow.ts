import type { Registry } from '../model/registry.js';
import type { TicketDoc } from '../model/ticket.js';
import type { WorkflowDefinition } from '../model/workflow.js';
import { catchRejection } from '../util/thenable.js';
import { hydrateSlots } from './hydrate-slots.js';
import type { SlotPrivacy } from './policy-context.js';

/** The workflow for the ticket's intent, or what is missing to choose one. */
export type WorkflowChoice =
  { type: 'chosen'; workflow: WorkflowDefinition } | { type: 'needs_slot'; slot: string } | { type: 'none'; reason: 'no_workflow' | 'no_matching_workflow' };

/**
 * Chooses among the workflows of an intent (D1), in declared order: the first whose
 * `when` holds (no `when` always holds). `when` reads slots through a recording view, so
 * when none holds because a slot it read is unknown, that slot is the one to ask for.
 */
export function chooseWorkflow(ticket: TicketDoc, registry: Registry, privacy?: SlotPrivacy): WorkflowChoice {
  const candidates = ticket.intent ? (registry.workflowsByIntent.get(ticket.intent) ?? []) : [];
  if (candidates.length === 0) return { type: 'none', reason: 'no_workflow' };
  if (candidates.length === 1 && !candidates[0]!.when) return { type: 'chosen', workflow: candidates[0]! };
  const values = hydrateSlots(ticket, registry, privacy);
  for (const workflow of candidates) {
    if (holds(workflow, values)) return { type: 'chosen', workflow };
  }
  // None holds: evaluate again through a recording view to learn which unknown slots the
  // conditions read (only on this path, so a turn with a match pays no proxies).
  const missingRead: string[] = [];
  const view = new Proxy(values, {
    get(target, property) {
      if (typeof property === 'string' && !(property in target) && !missingRead.includes(property)) missingRead.push(property);
      return Reflect.get(target, property);
    },
  });
  for (const workflow of candidates) holds(workflow, view);
  const askable = missingRead.find((name) => registry.slots.has(name));
  return askable ? { type: 'needs_slot', slot: askable } : { type: 'none', reason: 'no_matching_workflow' };
}

function holds(workflow: WorkflowDefinition, values: Record<string, unknown>): boolean {
  if (!workflow.when) return true;
  try {
    const answer: unknown = workflow.when(values);
    // A promise (an async condition) never holds; its rejection must not go unhandled.
    return !catchRejection(answer) && answer === true;
  } catch {
    return false;
  }
}
