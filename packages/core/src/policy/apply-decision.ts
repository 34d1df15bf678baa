import type { Decision } from '../decide/decision.js';
import { RESERVED_SLOTS } from '../model/action.js';
import type { TicketDoc } from '../model/ticket.js';
import { deepEqual } from '../util/deep-equal.js';
import { type Draft, type PolicyContext, record, slotValues } from './policy-context.js';

/** What a decision changed, for choosing the next action. */
export interface AppliedDecision {
  draft: Draft;
  /** The decision names a declared intent at or above the threshold (D3, D3a). */
  intentClear: boolean;
  /** The clear intent equals the one the ticket already had. */
  intentRestated: boolean;
  /** Slots whose value changed or disappeared this turn (corrections, re-inferences, reverts). */
  changedSlots: ReadonlySet<string>;
  /** Slots that became known this turn. */
  addedSlots: ReadonlySet<string>;
  /** The answer to a confirmation question, if the decision carried one. */
  confirmAnswer: boolean | null;
}

/**
 * Applies a validated decision to a ticket (pure): establishes or switches the intent,
 * parses each entity with its slot's schema (S4), records provenance, recomputes inferred
 * slots (S2), and records an event for each change (O2). Returns a new ticket; the input
 * is not mutated.
 */
export function applyDecision(ticket: TicketDoc, decision: Decision, context: PolicyContext): AppliedDecision {
  const draft: Draft = { ticket: { ...ticket, slots: { ...ticket.slots } }, events: [] };
  const changedSlots = new Set<string>();
  const addedSlots = new Set<string>();
  const { registry, at, turn } = context;

  const named = decision.intent ?? (typeof decision.entities.intent === 'string' ? decision.entities.intent : null);
  const intentClear = named !== null && registry.intents.has(named) && decision.confidence >= context.confidenceThreshold;
  const intentRestated = intentClear && named === ticket.intent;
  if (intentClear && named !== ticket.intent) switchIntent(draft, named, decision.confidence, context);

  let confirmAnswer: boolean | null = null;
  const ignored: string[] = [];
  for (const [name, raw] of Object.entries(decision.entities)) {
    if (name === RESERVED_SLOTS.intent) continue;
    if (name === RESERVED_SLOTS.confirm) {
      confirmAnswer = parseYesNo(raw);
      continue;
    }
    if (raw === null || raw === undefined) continue;
    const slot = registry.slots.get(name);
    if (!slot) {
      ignored.push(name);
      continue;
    }
    const parsed = slot.schema.safeParse(raw);
    if (!parsed.success) {
      record(draft, at, 'slot.rejected', { slot: name, value: clipValue(raw), reason: parsed.error.issues[0]?.message ?? 'invalid' });
      continue;
    }
    const value = parsed.data;
    const current = draft.ticket.slots[name];
    if (current && deepEqual(current.value, value)) {
      if (current.source !== 'user' || current.spent) {
        draft.ticket.slots[name] = { value, source: 'user', turn };
        record(draft, at, 'slot.set', { slot: name, value, source: 'user', confirmed: current.source });
      }
      continue;
    }
    draft.ticket.slots[name] = { value, source: 'user', turn };
    if (!current) {
      addedSlots.add(name);
      record(draft, at, 'slot.set', { slot: name, value, source: 'user' });
    } else {
      changedSlots.add(name);
      if (current.source === 'user') record(draft, at, 'slot.corrected', { slot: name, from: current.value, to: value });
      else record(draft, at, 'slot.set', { slot: name, value, source: 'user', replaced: { value: current.value, source: current.source } });
    }
  }
  if (ignored.length > 0) record(draft, at, 'entity.ignored', { names: ignored });

  reinfer(draft, context, changedSlots, addedSlots);
  return { draft, intentClear, intentRestated, changedSlots, addedSlots, confirmAnswer };
}

/**
 * Recomputes every inferred slot in dependency order: a derivable value is set or updated
 * (`slot.inferred`), one that can no longer be derived is removed (`slot.reverted`);
 * user and tool values are never replaced (S2).
 */
export function reinfer(draft: Draft, context: PolicyContext, changedSlots: Set<string>, addedSlots: Set<string>): void {
  for (const slot of context.registry.inferenceOrder) {
    const infer = slot.infer!;
    const current = draft.ticket.slots[slot.name];
    if (current && current.source !== 'inferred') continue;
    const known = slotValues(draft.ticket);
    let derived: unknown;
    if (infer.from.every((source) => source in known)) {
      try {
        const candidate = infer.derive(known);
        if (candidate !== undefined && candidate !== null) {
          const parsed = slot.schema.safeParse(candidate);
          derived = parsed.success ? parsed.data : undefined;
        }
      } catch {
        derived = undefined;
      }
    }
    if (derived !== undefined) {
      if (current && deepEqual(current.value, derived)) continue;
      draft.ticket.slots[slot.name] = { value: derived, source: 'inferred', turn: context.turn, from: [...infer.from] };
      record(draft, context.at, 'slot.inferred', { slot: slot.name, value: derived, from: infer.from, ...(current ? { previous: current.value } : {}) });
      (current ? changedSlots : addedSlots).add(slot.name);
    } else if (current) {
      delete draft.ticket.slots[slot.name];
      record(draft, context.at, 'slot.reverted', { slot: slot.name, value: current.value, reason: 'its sources no longer give a value' });
      changedSlots.add(slot.name);
    }
  }
}

/**
 * Establishes a new intent. Switching from another intent drops what belonged to it: the
 * pending question and confirmation, and spent values of a `confirm: true` workflow
 * (S3). Stable facts and other values stay.
 */
function switchIntent(draft: Draft, intent: string, confidence: number, context: PolicyContext): void {
  const { ticket } = draft;
  const previous = ticket.intent;
  draft.ticket.intent = intent;
  record(draft, context.at, 'intent.changed', { from: previous, to: intent, confidence });
  if (previous === null) return;
  draft.ticket.pending = null;
  draft.ticket.confirmation = null;
  for (const [name, slot] of Object.entries(ticket.slots)) {
    if (slot.spent && !context.registry.slots.get(name)?.stable) {
      delete draft.ticket.slots[name];
      record(draft, context.at, 'slot.cleared', { slot: name, value: slot.value, reason: 'spent by a confirmed workflow of the previous intent' });
    }
  }
}

const yes = new Set(['yes', 'y', 'true', 'ok', 'okay', 'sure', 'confirm', 'confirmed', 'correct']);
const no = new Set(['no', 'n', 'false', 'cancel', 'nope', 'incorrect']);

function parseYesNo(raw: unknown): boolean | null {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    const word = raw.trim().toLowerCase();
    if (yes.has(word)) return true;
    if (no.has(word)) return false;
  }
  return null;
}

function clipValue(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text !== undefined && text.length > 200 ? `${text.slice(0, 200)}…` : value;
}
