import type { Action } from '../model/action.js';
import type { ToolCallRecord } from '../replay/replay-script.js';
import type { Divergence, ReplayedTurn, ReplayReport } from '../replay/replay-ticket.js';
import { escapeControls } from './cli-arguments.js';

const QUOTE_LENGTH = 80;
const INPUT_LENGTH = 120;

/**
 * The report as text: one line per replayed operation —
 * `SAME|DIFF  turn N  operation  recorded action → replayed action` and, for a different
 * one, what differs in words — then a summary line. Text from the ticket is quoted, cut and
 * stripped of terminal control characters.
 *
 * @example
 * ```text
 * SAME  turn 1  message  ask confirm → ask confirm
 * DIFF  turn 2  message  execute billing_credit (resolved) → execute billing_credit (failed) — different action; …
 * ticket T-1: 2 operations replayed, 1 the same, 1 different (turn 2)
 * ```
 */
export function formatReport(report: ReplayReport): string[] {
  const lines = report.turns.map(formatTurn);
  lines.push(summarize(report));
  return lines;
}

function formatTurn(turn: ReplayedTurn): string {
  const head = `${turn.same ? 'SAME' : 'DIFF'}  turn ${turn.turn}  ${turn.operation}  ${describeAction(turn.recorded.action)} → ${describeAction(turn.replayed.action)}`;
  if (turn.same) return head;
  return `${head} — ${turn.divergences.map(describeDivergence).join('; ')}`;
}

/** A one-line summary: how many operations agreed, and which turns did not. */
export function summarize(report: ReplayReport): string {
  const total = report.turns.length;
  const different = report.turns.filter((turn) => !turn.same);
  const counted = `${total} operation${total === 1 ? '' : 's'} replayed`;
  const ticket = `ticket ${name(report.ticketId)}`;
  if (different.length === 0) return `${ticket}: ${counted}, all the same`;
  const turns = [...new Set(different.map((turn) => turn.turn))];
  return `${ticket}: ${counted}, ${total - different.length} the same, ${different.length} different (turn${turns.length === 1 ? '' : 's'} ${turns.join(', ')})`;
}

/** An action in a few words: `ask region`, `execute fiber_troubleshoot (resolved)`, `none`. */
export function describeAction(action: Action | null): string {
  if (action === null) return 'none';
  switch (action.type) {
    case 'ask':
      return `ask ${name(action.slot)}`;
    case 'execute':
      return `execute ${name(action.workflow)} (${name(action.outcome)})`;
    case 'cancelled':
    case 'wait':
      return `${action.type} ${name(action.workflow)}`;
    case 'escalate':
    case 'fallback':
      return `${action.type} (${name(action.reason)})`;
    case 'acknowledge':
    case 'erased':
      return action.type;
    default:
      return quote(JSON.stringify(action), QUOTE_LENGTH);
  }
}

function describeDivergence(divergence: Divergence): string {
  switch (divergence.kind) {
    case 'action':
      return 'different action';
    case 'reply':
      return `different reply: ${quoteOrNone(divergence.recorded)} → ${quoteOrNone(divergence.replayed)}`;
    case 'tool_calls':
      return `different tool calls: ${describeCalls(divergence.recorded, divergence.replayed)}`;
    case 'unrecorded_tool_call':
      return `${name(divergence.tool)} was called but is not in the recording (not executed), input ${inputOf(divergence.input)}`;
    case 'error':
      return `the replay failed: ${quote(divergence.message, QUOTE_LENGTH * 2)}`;
    default:
      return quote(JSON.stringify(divergence), QUOTE_LENGTH);
  }
}

/** The two lists by tool name; when the names agree, the first call whose input differs. */
function describeCalls(recorded: readonly ToolCallRecord[], replayed: readonly ToolCallRecord[]): string {
  const names = (calls: readonly ToolCallRecord[]) => (calls.length === 0 ? 'none' : calls.map((call) => name(call.tool)).join(', '));
  if (names(recorded) !== names(replayed)) return `${names(recorded)} → ${names(replayed)}`;
  const index = recorded.findIndex((call, position) => JSON.stringify(call.input) !== JSON.stringify(replayed[position]?.input));
  if (index < 0) return names(recorded);
  return `${name(recorded[index]!.tool)} input ${inputOf(recorded[index]!.input)} → ${inputOf(replayed[index]!.input)}`;
}

function inputOf(input: unknown): string {
  const text = JSON.stringify(input) ?? 'undefined';
  return escapeControls(text.length > INPUT_LENGTH ? `${text.slice(0, INPUT_LENGTH)}…` : text);
}

function quoteOrNone(text: string | null): string {
  return text === null ? 'none' : quote(text, QUOTE_LENGTH);
}

/** A name from the definitions or the store, printed bare when it is plain, quoted otherwise. */
function name(text: string): string {
  return /^[\w.:-]{1,80}$/.test(text) ? text : quote(text, QUOTE_LENGTH);
}

function quote(text: string, length: number): string {
  const characters = [...text];
  const cut = characters.length > length ? `${characters.slice(0, length).join('')}…` : text;
  return escapeControls(JSON.stringify(cut));
}
