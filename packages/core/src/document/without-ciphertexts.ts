import type { CompletedCall, ExecutionRecord, ExecutionStep, SlotValue, WorkflowOutcomeRecord } from '../model/ticket.js';

// A view shows sensitive values only as masks (P1): the ciphertexts kept beside them for the
// engine (`sealed`, `sealedInput`, `sealedOutput`, `sealedErrorDetail`) are left out. Each
// function returns its argument itself when it holds no ciphertext (the usual case: no copy).

const SEALED_FIELDS = ['sealed', 'sealedInput', 'sealedOutput', 'sealedErrorDetail'] as const;

function hasCiphertext(entry: object): boolean {
  for (const field of SEALED_FIELDS) if ((entry as Record<string, unknown>)[field] !== undefined) return true;
  return false;
}

/** The entry without its ciphertext fields (a copy only when it has one). */
function unsealed<T extends object>(entry: T): T {
  if (!hasCiphertext(entry)) return entry;
  const copy = { ...entry } as Record<string, unknown>;
  for (const field of SEALED_FIELDS) delete copy[field];
  return copy as T;
}

/** Every entry without ciphertexts; the same array when none had one. */
function unsealedAll<T extends object>(entries: T[]): T[] {
  return entries.some(hasCiphertext) ? entries.map(unsealed) : entries;
}

/** Slot values without their ciphertexts. */
export function slotsWithoutCiphertexts(slots: Record<string, SlotValue>): Record<string, SlotValue> {
  let copy: Record<string, SlotValue> | undefined;
  for (const [name, slot] of Object.entries(slots)) {
    if (slot.sealed === undefined) continue;
    copy ??= { ...slots };
    copy[name] = unsealed(slot);
  }
  return copy ?? slots;
}

/** Outcome records without the ciphertexts of the calls they keep. */
export function outcomesWithoutCiphertexts(outcomes: Record<string, WorkflowOutcomeRecord>): Record<string, WorkflowOutcomeRecord> {
  let copy: Record<string, WorkflowOutcomeRecord> | undefined;
  for (const [name, record] of Object.entries(outcomes)) {
    const calls = record.calls && unsealedAll(record.calls);
    const leftCalls = record.leftCalls && unsealedAll(record.leftCalls);
    if (calls === record.calls && leftCalls === record.leftCalls) continue;
    copy ??= { ...outcomes };
    copy[name] = { ...record, ...(calls ? { calls } : {}), ...(leftCalls ? { leftCalls } : {}) };
  }
  return copy ?? outcomes;
}

/** An execution record without the ciphertexts of its steps, answers, inputs and superseded calls. */
export function executionWithoutCiphertexts(execution: ExecutionRecord | null): ExecutionRecord | null {
  if (execution === null) return null;
  const steps: ExecutionStep[] = unsealedAll(execution.steps);
  const answers = unsealedAll(execution.answers);
  const inputs = execution.inputs && slotsWithoutCiphertexts(execution.inputs);
  const supersededCalls: CompletedCall[] | undefined = execution.supersedes ? unsealedAll(execution.supersedes.calls) : undefined;
  const same = steps === execution.steps && answers === execution.answers && inputs === execution.inputs && supersededCalls === execution.supersedes?.calls;
  if (same) return execution;
  return {
    ...execution,
    steps,
    answers,
    ...(inputs ? { inputs } : {}),
    supersedes: execution.supersedes && { ...execution.supersedes, calls: supersededCalls! },
  };
}
