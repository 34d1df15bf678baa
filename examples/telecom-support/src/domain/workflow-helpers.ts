import type { SlotValues, WorkflowContext } from '@ticketflow/core';

/** A required slot's value as text (the engine guarantees it is known when `run` starts). */
export function text(slots: SlotValues, name: string): string {
  const value = slots[name];
  if (value === undefined || value === null) throw new Error(`slot "${name}" is missing`);
  return String(value);
}

/** An optional slot's value as text, or undefined. */
export function optionalText(slots: SlotValues, name: string): string | undefined {
  const value = slots[name];
  return value === undefined || value === null ? undefined : String(value);
}

/**
 * The customer account a workflow acts on. A real server takes it from the authenticated
 * session; this example uses the phone number when known, else the ticket itself.
 */
export function accountOf(context: WorkflowContext): string {
  return optionalText(context.slots, 'phone') ?? `ticket:${context.ticket.id}`;
}

/** The line a network test runs on: the phone number, or the ticket's service address. */
export function lineOf(context: WorkflowContext): string {
  return optionalText(context.slots, 'phone') ?? `${optionalText(context.slots, 'region') ?? 'unknown'}/${context.ticket.id}`;
}

/** Where notifications go: an SMS to the phone when known, else an email on file. */
export function notificationTarget(context: WorkflowContext): { to: string; channel: 'sms' | 'email' } {
  const phone = optionalText(context.slots, 'phone');
  return phone ? { to: phone, channel: 'sms' } : { to: `customer-of-${context.ticket.id}@example.com`, channel: 'email' };
}

/** Euros with two decimals when needed: `80` → `80 €`, `12.5` → `12.50 €`. */
export function euros(amount: number): string {
  return `${Number.isInteger(amount) ? amount : amount.toFixed(2)} €`;
}
