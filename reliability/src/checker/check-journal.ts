import type { SequenceFindings } from './check-sequence.js';
import type { DocumentShape } from './check-document.js';
import type { Violation } from './history.js';

/** Step states a parked execution may hold, and the event that must have recorded each. */
const RECORDED_BY: Readonly<Record<string, keyof Pick<SequenceFindings, 'completedKeys' | 'failedKeys'> | 'approval'>> = {
  completed: 'completedKeys',
  failed: 'failedKeys',
  awaiting_approval: 'approval',
};

/**
 * Rule `journal-intact`, for a ticket whose execution is parked (waiting for an approval or
 * for the customer's answer, E6): the journal the document keeps is the one the log tells —
 * every step the log journaled for it is in the document under its key, every document step
 * is completed, failed or awaiting its approval (nothing left running while parked) and the
 * log recorded that outcome; a procedure waiting for input names the slot it waits for.
 * Its completed steps are replayed, never run again, when it resumes.
 */
export function checkJournal(ticketId: string, document: DocumentShape | null, sequence: SequenceFindings): Violation[] {
  const execution = document?.execution ?? null;
  const open = sequence.open;
  if (!execution || !open || open.state === 'running') return [];
  const violations: Violation[] = [];
  const fail = (detail: string) => violations.push({ rule: 'journal-intact', ticketId, detail });
  const steps = Array.isArray(execution.steps) ? execution.steps : [];
  const keys = new Set(steps.map((step) => String(step.key)));
  for (const key of open.keys) if (!keys.has(key)) fail(`step ${key} was journaled in the log but is not in the parked execution's journal`);
  for (const step of steps) {
    const key = String(step.key);
    const recordedBy = RECORDED_BY[String(step.state)];
    if (!recordedBy) fail(`step ${key} (${String(step.tool)}) is ${String(step.state)} in a parked execution`);
    else if (recordedBy !== 'approval' && !sequence[recordedBy].has(key))
      fail(`step ${key} is ${String(step.state)} in the journal, but the log has no step.${String(step.state)} for it`);
  }
  if (open.state === 'awaiting_input' && (typeof execution.awaiting !== 'object' || execution.awaiting === null))
    fail('the procedure waits for input but its execution names no awaited slot');
  return violations;
}
