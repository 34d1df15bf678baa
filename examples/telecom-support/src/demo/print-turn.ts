import type { Action, DecisionRecord, TicketView } from '@ticketflow/core';
import type { BackendCall } from '../backend/telecom-backend.js';
import type { WorldAction } from '../tau2/world/types.js';

const useColor = process.stdout.isTTY === true && !('NO_COLOR' in process.env);
const paint = (code: string) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
export const style = { bold: paint('1'), dim: paint('2'), cyan: paint('36'), green: paint('32'), yellow: paint('33'), red: paint('31'), magenta: paint('35') };

const indent = '            ';

/** `ask region`, `execute fiber_no_internet → resolved`, `fallback (unavailable)`, … */
export function describeAction(action: Action): string {
  switch (action.type) {
    case 'ask':
      return `ask ${action.slot}`;
    case 'execute':
      return `execute ${action.workflow} → ${action.outcome}`;
    case 'escalate':
      return `escalate (${action.reason})`;
    case 'fallback':
      return `fallback (${action.reason})`;
    case 'cancelled':
      return `cancelled ${action.workflow}${action.reason ? ` (${action.reason})` : ''}`;
    case 'wait':
      return `wait: ${action.workflow} ${action.reason.replaceAll('_', ' ')}`;
    case 'acknowledge':
      return 'acknowledge';
  }
  return (action as { type: string }).type;
}

/** `no_internet (0.90) · service_type=fiber` or `no decision (every LLM failed)`. */
export function describeDecision(decision: DecisionRecord | null): string {
  if (!decision) return 'none (no LLM answer)';
  const entities = Object.entries(decision.entities).map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return `${decision.intent ?? 'no intent'} (${decision.confidence.toFixed(2)})${entities.length > 0 ? ` · entities: ${entities.join(', ')}` : ''}`;
}

/** Known slots, inferred ones marked with their source. */
export function describeSlots(ticket: TicketView): string {
  const slots = Object.entries(ticket.slots).map(([name, slot]) => {
    const value = typeof slot.value === 'string' ? slot.value : JSON.stringify(slot.value);
    return slot.source === 'inferred' ? style.magenta(`${name}=${value} (inferred from ${slot.from?.join(', ') ?? '?'})`) : `${name}=${value}`;
  });
  return slots.length > 0 ? slots.join(', ') : '—';
}

/** Backend calls of a turn, e.g. `change_plan ok, send_notification failed ×2, change_plan undone`. */
export function describeCalls(calls: readonly BackendCall[]): string {
  const parts: string[] = [];
  for (const call of calls) {
    const label =
      call.kind === 'undo'
        ? `${call.operation} ${call.result === 'ok' ? 'undone' : call.result === 'noop' ? 'undo (nothing to undo)' : 'undo FAILED'}`
        : `${call.operation} ${call.result}`;
    const last = parts[parts.length - 1];
    const repeated = last?.match(/^(.*?)(?: ×(\d+))?$/);
    if (repeated && repeated[1] === label) parts[parts.length - 1] = `${label} ×${Number(repeated[2] ?? 1) + 1}`;
    else parts.push(label);
  }
  return parts.map((part) => (/failed|FAILED|hung/.test(part) ? style.red(part) : /undone/.test(part) ? style.yellow(part) : part)).join(', ');
}

/** Carrier-record calls of a turn, e.g. `get_customer_by_phone, get_details_by_id ×3, refuel_data (undone)`. */
export function describeCarrierActions(actions: readonly WorldAction[]): string {
  const parts: string[] = [];
  for (const action of actions) {
    const label = `${action.name}${action.ok ? '' : ' refused'}${action.undone ? ' (undone)' : ''}`;
    const repeated = parts[parts.length - 1]?.match(/^(.*?)(?: ×(\d+))?$/);
    if (repeated && repeated[1] === label) parts[parts.length - 1] = `${label} ×${Number(repeated[2] ?? 1) + 1}`;
    else parts.push(label);
  }
  return parts.join(', ');
}

/** Prints one turn: message, reply, decision, workflow/action, slots, backend calls and carrier-record calls. */
export function printTurn(input: {
  reply: string;
  action: Action;
  decision?: DecisionRecord | null;
  ticket: TicketView;
  calls: readonly BackendCall[];
  carrier?: readonly WorldAction[];
}): void {
  const lines: string[] = [];
  lines.push(`${style.green('     agent ›')} ${input.reply}`);
  if (input.decision !== undefined) lines.push(`${indent}${style.dim('decision:')} ${describeDecision(input.decision)}`);
  const actionColor = input.action.type === 'fallback' || (input.action.type === 'execute' && input.action.outcome === 'failed') ? style.red : style.bold;
  lines.push(
    `${indent}${style.dim('workflow:')} ${input.ticket.workflow ?? '—'} ${style.dim('· action:')} ${actionColor(describeAction(input.action))} ${style.dim(`· status: ${input.ticket.status}`)}`,
  );
  lines.push(`${indent}${style.dim('slots:')} ${describeSlots(input.ticket)}`);
  if (input.calls.length > 0) lines.push(`${indent}${style.dim('backend:')} ${describeCalls(input.calls)}`);
  if (input.carrier && input.carrier.length > 0) lines.push(`${indent}${style.dim('carrier records:')} ${describeCarrierActions(input.carrier)}`);
  console.log(lines.join('\n'));
}

/** Prints what the customer (or a supervisor) said, before the agent answers. */
export function printMessage(message: string, speaker = 'customer'): void {
  console.log(`${style.cyan(` ${speaker.padStart(9)} ›`)} ${message}`);
}

export function printHeading(ticketId: string, title: string): void {
  console.log(`\n${style.bold(`━━ ${ticketId}`)} ${style.dim('·')} ${title}`);
}

export function printNote(text: string): void {
  console.log(`${indent}${style.yellow(`» ${text}`)}`);
}
