import { describe, expect, it } from 'vitest';
import type { ReplayReport } from '../replay/replay-ticket.js';
import { describeAction, formatReport } from './format-report.js';

const ask = { type: 'ask', slot: 'region', question: 'Where?' } as const;
const resolved = { type: 'execute', workflow: 'billing_credit', outcome: 'resolved' } as const;

function report(turns: ReplayReport['turns']): ReplayReport {
  return { ticketId: 'T-1', turns, diverged: turns.some((turn) => !turn.same) };
}

describe('the replay report as text', () => {
  it('prints one line per operation and a summary naming the different turns', () => {
    const lines = formatReport(
      report([
        {
          turn: 1,
          operation: 'message',
          message: 'hi',
          recorded: { action: ask, reply: 'Where?', toolCalls: [] },
          replayed: { action: ask, reply: 'Where?', toolCalls: [], slots: {} },
          same: true,
          divergences: [],
        },
        {
          turn: 2,
          operation: 'message',
          message: 'yes',
          recorded: { action: resolved, reply: 'Done.', toolCalls: [{ tool: 'issue_credit', input: { amount: 30 } }] },
          replayed: {
            action: { ...resolved, outcome: 'failed' },
            reply: 'Sorry.',
            toolCalls: [
              { tool: 'issue_credit', input: { amount: 30 } },
              { tool: 'open_incident', input: { region: 'Hamburg' } },
            ],
            slots: {},
          },
          same: false,
          divergences: [
            { kind: 'action', recorded: resolved, replayed: { ...resolved, outcome: 'failed' } },
            {
              kind: 'tool_calls',
              recorded: [{ tool: 'issue_credit', input: { amount: 30 } }],
              replayed: [
                { tool: 'issue_credit', input: { amount: 30 } },
                { tool: 'open_incident', input: { region: 'Hamburg' } },
              ],
            },
            { kind: 'unrecorded_tool_call', tool: 'open_incident', input: { region: 'Hamburg' } },
          ],
        },
        {
          turn: 2,
          operation: 'approve',
          message: null,
          recorded: { action: resolved, reply: 'Done.', toolCalls: [] },
          replayed: { action: resolved, reply: 'Done!', toolCalls: [], slots: {} },
          same: false,
          divergences: [{ kind: 'reply', recorded: 'Done.', replayed: 'Done!' }],
        },
        {
          turn: 3,
          operation: 'release',
          message: null,
          recorded: { action: null, reply: null, toolCalls: [] },
          replayed: { action: null, reply: null, toolCalls: [], slots: {} },
          same: false,
          divergences: [{ kind: 'error', message: 'no such ticket' }],
        },
      ]),
    );
    expect(lines).toEqual([
      'SAME  turn 1  message  ask region → ask region',
      'DIFF  turn 2  message  execute billing_credit (resolved) → execute billing_credit (failed) — different action; different tool calls: issue_credit → issue_credit, open_incident; open_incident was called but is not in the recording (not executed), input {"region":"Hamburg"}',
      'DIFF  turn 2  approve  execute billing_credit (resolved) → execute billing_credit (resolved) — different reply: "Done." → "Done!"',
      'DIFF  turn 3  release  none → none — the replay failed: "no such ticket"',
      'ticket T-1: 4 operations replayed, 1 the same, 3 different (turns 2, 3)',
    ]);
  });

  it('says when everything agrees, and shows the first differing input when the same tools were called', () => {
    const calls = (amount: number) => [{ tool: 'issue_credit', input: { amount } }];
    const [line, summary] = formatReport(
      report([
        {
          turn: 4,
          operation: 'message',
          message: 'yes',
          recorded: { action: resolved, reply: 'Done.', toolCalls: calls(30) },
          replayed: { action: resolved, reply: 'Done.', toolCalls: calls(40), slots: {} },
          same: false,
          divergences: [{ kind: 'tool_calls', recorded: calls(30), replayed: calls(40) }],
        },
      ]),
    );
    expect(line).toBe(
      'DIFF  turn 4  message  execute billing_credit (resolved) → execute billing_credit (resolved) — different tool calls: issue_credit input {"amount":30} → {"amount":40}',
    );
    expect(summary).toBe('ticket T-1: 1 operation replayed, 0 the same, 1 different (turn 4)');
    expect(formatReport(report([]))).toEqual(['ticket T-1: 0 operations replayed, all the same']);
  });

  it('describes every kind of action in a few words', () => {
    expect(
      ['ask', 'execute', 'escalate', 'fallback', 'cancelled', 'acknowledge', 'wait', 'erased'].map((type) =>
        describeAction({ type, slot: 's', question: 'q', workflow: 'w', outcome: 'resolved', reason: 'r' } as never),
      ),
    ).toEqual(['ask s', 'execute w (resolved)', 'escalate (r)', 'fallback (r)', 'cancelled w', 'acknowledge', 'wait w', 'erased']);
    expect(describeAction(null)).toBe('none');
  });

  it('quotes, cuts and escapes text from the ticket so a hostile reply cannot drive the terminal', () => {
    const hostile = `\u001b[2J\u001b]8;;http://evil\u0007click\u009b\u202eevil${'x'.repeat(500)}`;
    const lines = formatReport({
      ticketId: 'T\u001b[31m-1',
      diverged: true,
      turns: [
        {
          turn: 1,
          operation: 'message',
          message: hostile,
          recorded: { action: { type: 'ask', slot: hostile, question: hostile }, reply: hostile, toolCalls: [] },
          replayed: { action: { type: 'fallback', reason: hostile }, reply: 'ok', toolCalls: [], slots: {} },
          same: false,
          divergences: [
            { kind: 'reply', recorded: hostile, replayed: 'ok' },
            { kind: 'unrecorded_tool_call', tool: hostile, input: { text: hostile } },
          ],
        },
      ],
    });
    for (const line of lines) {
      expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(line.length).toBeLessThan(1_000);
    }
    expect(lines[0]).toContain('\\u001b[2J');
  });
});
