import type { Decision } from '../decide/decision.js';
import { RESERVED_SLOTS } from '../model/action.js';
import { parseStorable } from '../model/json-value.js';
import type { AnySlotDefinition } from '../model/slot.js';
import type { SlotValue, TicketDoc } from '../model/ticket.js';
import { deepEqual } from '../util/deep-equal.js';
import { catchRejection } from '../util/thenable.js';
import { type Draft, type PolicyContext, record, slotValues } from './policy-context.js';
import { namesSensitive, type SensitiveValue, sensitiveValue, sensitiveValuesOf } from './sensitive-values.js';

/** What a decision changed, for choosing the next action. */
export interface AppliedDecision {
  draft: Draft;
  /** The decision names a declared intent at or above the threshold (D3, D3a). */
  intentClear: boolean;
  /** The clear intent equals the one the ticket already had. */
  intentRestated: boolean;
  /** The ticket's intent before this decision. */
  previousIntent: string | null;
  /** Slots whose value changed or disappeared this turn (corrections, re-inferences, reverts). */
  changedSlots: ReadonlySet<string>;
  /** Slots that became known this turn. */
  addedSlots: ReadonlySet<string>;
  /** Slots the decision named with a value that was refused (S4). */
  rejectedSlots: ReadonlySet<string>;
  /** The answer to a confirmation question, if the decision carried one. */
  confirmAnswer: boolean | null;
}

/**
 * Applies a validated decision to a ticket (pure): establishes or switches the intent,
 * parses each entity with its slot's schema into its stored form (S4), records provenance,
 * seals sensitive values (P1), recomputes inferred slots (S2), and records an event for each
 * change (O2). Returns a new ticket; the input is not mutated.
 */
export function applyDecision(ticket: TicketDoc, decision: Decision, context: PolicyContext): AppliedDecision {
  const draft: Draft = { ticket: { ...ticket, slots: { ...ticket.slots } }, events: [], at: context.at };
  const changedSlots = new Set<string>();
  const addedSlots = new Set<string>();
  const rejectedSlots = new Set<string>();
  const { registry } = context;

  const named = decision.intent ?? (typeof decision.entities.intent === 'string' ? decision.entities.intent : null);
  const intentClear = named !== null && registry.intents.has(named) && decision.confidence >= context.confidenceThreshold;
  const intentRestated = intentClear && named === ticket.intent;
  if (intentClear && named !== ticket.intent) switchIntent(draft, named, decision.confidence, context);

  let confirmAnswer: boolean | null = null;
  const ignored: string[] = [];
  const secrets = sensitiveTexts(ticket, decision, context);
  for (const [name, raw] of Object.entries(decision.entities)) {
    if (name === RESERVED_SLOTS.intent) continue;
    if (name === RESERVED_SLOTS.confirm) {
      confirmAnswer = parseYesNo(raw);
      continue;
    }
    if (raw === null || raw === undefined) continue;
    const slot = registry.slots.get(name);
    if (!slot) ignored.push(name);
    else if (!slot.sensitive && namesSensitive(raw, secrets)) {
      // A model that files a card number under another slot (P1): never stored there in clear.
      record(draft, 'slot.rejected', { slot: name, reason: 'the value holds the value of a sensitive slot' });
      rejectedSlots.add(name);
    } else applyEntity(draft, slot, raw, context, { changedSlots, addedSlots, rejectedSlots });
  }
  if (ignored.length > 0) record(draft, 'entity.ignored', { names: ignored });

  reinfer(draft, context, changedSlots, addedSlots);
  return { draft, intentClear, intentRestated, previousIntent: ticket.intent, changedSlots, addedSlots, rejectedSlots, confirmAnswer };
}

/** The clear values of the sensitive slots, known or stated in this decision (P1). */
function sensitiveTexts(ticket: TicketDoc, decision: Decision, context: PolicyContext): SensitiveValue[] {
  const stated = Object.entries(decision.entities)
    .filter(([name, raw]) => context.registry.slots.get(name)?.sensitive === true && raw !== null && raw !== undefined)
    .map(([, raw]) => sensitiveValue(raw, '****'));
  return sensitiveValuesOf(ticket, context.privacy).concat(stated.filter((value) => value !== null));
}

interface SlotChanges {
  changedSlots: Set<string>;
  addedSlots: Set<string>;
  rejectedSlots: Set<string>;
}

/** Stores one entity the user stated: a new value, a correction, or a confirmation of a known one. */
function applyEntity(draft: Draft, slot: AnySlotDefinition, raw: unknown, context: PolicyContext, changes: SlotChanges): void {
  const name = slot.name;
  const parsed = parseStorable(slot.schema, raw);
  if (!parsed.ok || (slot.sensitive && !context.privacy)) {
    const reason = parsed.ok ? 'sensitive slots need the agent option encryptionKey' : parsed.reason;
    record(draft, 'slot.rejected', { slot: name, ...(slot.sensitive ? {} : { value: clipValue(raw) }), reason });
    changes.rejectedSlots.add(name);
    return;
  }
  const current = draft.ticket.slots[name];
  const next = storedSlot(draft.ticket.id, slot, parsed.stored, context);
  const shown = next.value;
  if (current && deepEqual(currentValue(draft.ticket.id, slot, current, context), parsed.stored)) {
    if (current.source !== 'user' || current.spent) {
      draft.ticket.slots[name] = next;
      record(draft, 'slot.set', { slot: name, value: shown, source: 'user', confirmed: current.source });
    }
    return;
  }
  draft.ticket.slots[name] = next;
  if (!current) {
    changes.addedSlots.add(name);
    record(draft, 'slot.set', { slot: name, value: shown, source: 'user' });
    return;
  }
  changes.changedSlots.add(name);
  if (current.source === 'user') record(draft, 'slot.corrected', { slot: name, from: current.value, to: shown });
  else record(draft, 'slot.set', { slot: name, value: shown, source: 'user', replaced: { value: current.value, source: current.source } });
}

function storedSlot(ticketId: string, slot: AnySlotDefinition, stored: unknown, context: PolicyContext): SlotValue {
  if (!slot.sensitive) return { value: stored, source: 'user', turn: context.turn };
  const { mask, sealed } = context.privacy!.seal(ticketId, slot.name, stored);
  return { value: mask, sealed, source: 'user', turn: context.turn };
}

function currentValue(ticketId: string, slot: AnySlotDefinition, current: SlotValue, context: PolicyContext): unknown {
  return current.sealed !== undefined && context.privacy ? context.privacy.open(ticketId, slot.name, current) : current.value;
}

/**
 * Recomputes every inferred slot in dependency order: a derivable value is set or updated
 * (`slot.inferred`), one that can no longer be derived is removed (`slot.reverted`);
 * user and tool values are never replaced (S2).
 */
export function reinfer(draft: Draft, context: PolicyContext, changedSlots: Set<string>, addedSlots: Set<string>): void {
  for (const slot of context.registry.inferenceOrder) {
    const current = draft.ticket.slots[slot.name];
    if (current && current.source !== 'inferred') continue;
    const derived = derive(slot, slotValues(draft.ticket, context.privacy));
    if (derived !== undefined) {
      if (current && deepEqual(current.value, derived)) continue;
      draft.ticket.slots[slot.name] = { value: derived, source: 'inferred', turn: context.turn, from: [...slot.infer!.from] };
      record(draft, 'slot.inferred', { slot: slot.name, value: derived, from: slot.infer!.from, ...(current ? { previous: current.value } : {}) });
      (current ? changedSlots : addedSlots).add(slot.name);
    } else if (current) {
      delete draft.ticket.slots[slot.name];
      record(draft, 'slot.reverted', { slot: slot.name, value: current.value, reason: 'its sources no longer give a value' });
      changedSlots.add(slot.name);
    }
  }
}

/** The value a slot's `infer` derives from the known values, in stored form, or undefined. */
function derive(slot: AnySlotDefinition, known: Record<string, unknown>): unknown {
  const infer = slot.infer!;
  if (!infer.from.every((source) => Object.hasOwn(known, source))) return undefined;
  try {
    const candidate: unknown = infer.derive(known);
    // A promise (an async derive) is no value; its rejection must not go unhandled.
    if (candidate === undefined || candidate === null || catchRejection(candidate)) return undefined;
    const parsed = parseStorable(slot.schema, candidate);
    return parsed.ok ? parsed.stored : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Establishes a new intent. Switching from another intent drops what belonged to it: the
 * pending question and confirmation, and spent values of a `confirm: true` workflow
 * (S3). Stable facts and other values stay.
 */
function switchIntent(draft: Draft, intent: string, confidence: number, context: PolicyContext): void {
  const previous = draft.ticket.intent;
  draft.ticket.intent = intent;
  record(draft, 'intent.changed', { from: previous, to: intent, confidence });
  if (previous === null) return;
  draft.ticket.pending = null;
  draft.ticket.confirmation = null;
  draft.ticket.clarification = null;
  for (const [name, slot] of Object.entries(draft.ticket.slots)) {
    if (slot.spent && !context.registry.slots.get(name)?.stable) {
      delete draft.ticket.slots[name];
      record(draft, 'slot.cleared', { slot: name, value: slot.value, reason: 'spent by a confirmed workflow of the previous intent' });
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
