import type { StoredEvent } from '../api/types.js';

/**
 * One recorded example per event type (shapes as the core writes them), and the words a
 * reader must find when it is rendered.
 */
export const EVENT_SAMPLES: Record<string, { data: Record<string, unknown>; shows: string[] }> = {
  'message.received': {
    data: { turn: 1, messageId: 'm-1', text: 'My fiber is down in Berlin' },
    shows: ['Customer', 'My fiber is down in Berlin', 'messageId m-1'],
  },
  'llm.called': {
    data: { provider: 'gemini', purpose: 'decide', ok: true, latencyMs: 412, model: 'gemini-2.5-flash', usage: { inputTokens: 812, outputTokens: 64 } },
    shows: ['LLM call', 'gemini-2.5-flash', '412 ms', '812 in / 64 out tokens'],
  },
  'llm.failed': {
    data: { provider: 'ollama', purpose: 'decide', latencyMs: 30_000, kind: 'timeout', message: 'no answer within 30000 ms' },
    shows: ['LLM call failed', 'ollama', 'timeout', 'no answer within 30000 ms', '30.0 s'],
  },
  'llm.skipped': { data: { provider: 'gemini', reason: 'circuit_open' }, shows: ['LLM skipped', 'gemini', 'circuit_open'] },
  'llm.circuit_opened': {
    data: { provider: 'gemini', cause: 'failures', failures: 5, reopenAt: '2026-01-01T10:01:00.000Z' },
    shows: ['LLM circuit opened', 'gemini', '5 failure(s)', '2026-01-01T10:01:00.000Z'],
  },
  'llm.circuit_closed': { data: { provider: 'gemini', cause: 'probe_succeeded' }, shows: ['LLM circuit closed', 'gemini', 'probe_succeeded'] },
  'turn.degraded': {
    data: { reason: 'unavailable', provider: 'ollama', message: 'connect ECONNREFUSED', attempts: 3 },
    shows: ['Degraded turn', 'unavailable', 'ollama', '3 attempt(s)', 'connect ECONNREFUSED', 'not acted on'],
  },
  'decision.made': {
    data: {
      turn: 1,
      intent: 'no_internet',
      confidence: 0.92,
      entities: { region: 'Berlin' },
      ticketIntent: 'no_internet',
      workflow: 'fiber_troubleshoot',
      nextAction: { type: 'ask', slot: 'service_type', question: 'Fiber or DSL?' },
      provider: 'gemini',
      model: 'gemini-2.5-flash',
      latencyMs: 640,
      usage: { inputTokens: 900, outputTokens: 40 },
      ignoredKeys: ['mood'],
    },
    shows: [
      'Decision',
      'no_internet',
      '92 %',
      'region',
      'Berlin',
      'fiber_troubleshoot',
      'ask for service_type',
      'gemini-2.5-flash',
      '640 ms',
      '900 in / 40 out tokens',
      'mood',
    ],
  },
  'intent.changed': { data: { from: 'slow_internet', to: 'no_internet', confidence: 0.81 }, shows: ['Intent changed', 'slow_internet → no_internet', '81 %'] },
  'workflow.chosen': { data: { from: null, to: 'fiber_troubleshoot' }, shows: ['Workflow chosen', 'none → fiber_troubleshoot'] },
  'slot.set': {
    data: { slot: 'region', value: 'Berlin', source: 'user', replaced: { value: 'Bonn', source: 'inferred' } },
    shows: ['Slot set', 'region', 'Berlin', 'said by the customer', 'replaces', 'Bonn', 'inferred'],
  },
  'slot.corrected': { data: { slot: 'amount', from: 80, to: 60 }, shows: ['Slot corrected by the customer', 'amount', '80', '60'] },
  'slot.inferred': {
    data: { slot: 'region', value: 'Hamburg', from: ['postcode'], previous: 'Berlin' },
    shows: ['Slot inferred', 'region', 'Hamburg', 'inferred from', 'postcode', 'was', 'Berlin'],
  },
  'slot.reverted': {
    data: { slot: 'region', value: 'Hamburg', reason: 'its sources no longer give a value' },
    shows: ['Slot reverted', 'region', 'Hamburg', 'its sources no longer give a value'],
  },
  'slot.rejected': {
    data: { slot: 'amount', value: -5, reason: 'Too small: expected number to be >0' },
    shows: ['Value refused', 'amount', '-5', 'Too small'],
  },
  'slot.cleared': {
    data: { slot: 'amount', value: 80, reason: 'spent by a confirmed workflow of the previous intent' },
    shows: ['Slot cleared', 'amount', '80', 'spent by a confirmed workflow'],
  },
  'entity.ignored': { data: { names: ['mood', 'weather'] }, shows: ['Entities ignored', 'mood, weather'] },
  'slots.deferred': {
    data: { workflow: 'fiber_troubleshoot', slots: ['device_type'] },
    shows: ['Optional slots deferred', 'fiber_troubleshoot', 'device_type'],
  },
  'confirmation.requested': {
    data: { workflow: 'plan_change', values: { plan: 'unlimited' }, corrected: true },
    shows: ['Confirmation asked again', 'plan_change', 'plan', 'unlimited'],
  },
  'confirmation.accepted': { data: { workflow: 'plan_change', values: { plan: 'unlimited' } }, shows: ['Customer confirmed', 'plan_change', 'unlimited'] },
  'confirmation.declined': { data: { workflow: 'plan_change', values: { plan: 'unlimited' } }, shows: ['Customer declined', 'plan_change', 'unlimited'] },
  'status.changed': { data: { from: 'collecting', to: 'executing', cause: 'start_execution' }, shows: ['Status', 'collecting → executing', 'start_execution'] },
  'execution.started': {
    data: { workflow: 'billing_credit', turn: 2, values: { amount: 80 }, deferred: ['reason'] },
    shows: ['Execution started', 'billing_credit', 'amount', '80', 'deferred: reason'],
  },
  'execution.completed': {
    data: { workflow: 'billing_credit', outcome: 'resolved', steps: 3, data: { creditId: 'C-1' } },
    shows: ['Execution resolved', 'billing_credit', '3 step(s)', 'creditId'],
  },
  'execution.failed': {
    data: { workflow: 'plan_change', reason: 'failed', error: 'Error: SMS gateway down', compensated: true, steps: 2 },
    shows: ['Execution failed — compensated', 'plan_change', 'Error: SMS gateway down'],
  },
  'execution.recovery_started': {
    data: { workflow: 'plan_change', previousOwner: 'worker-7', turn: 3, steps: 2 },
    shows: ['Recovery of an interrupted execution', 'plan_change', 'turn 3', 'worker-7', '2 journaled step(s)'],
  },
  'execution.recovered': {
    data: { workflow: 'plan_change', reason: 'recovered', error: 'the worker stopped', compensated: true, steps: 2 },
    shows: ['Recovered — compensated', 'plan_change', 'the worker stopped'],
  },
  'execution.superseded': {
    data: { workflow: 'billing_credit', turn: 4, supersededTurn: 2, calls: 2 },
    shows: ['Earlier run superseded by a correction', 'billing_credit', 'turn 2', '2 call(s)'],
  },
  'execution.suspended': {
    data: { workflow: 'mobile_data_path', turn: 3, slot: 'status_bar', steps: 1 },
    shows: ['Procedure waiting for the customer', 'mobile_data_path', 'status_bar', '1 step(s) done so far are kept'],
  },
  'execution.resumed': { data: { workflow: 'mobile_data_path', turn: 4, slot: 'status_bar' }, shows: ['Procedure resumed', 'mobile_data_path', 'status_bar'] },
  'execution.abandoned': {
    data: { workflow: 'mobile_data_path', turn: 5, reason: 'intent_changed', policy: 'compensate', compensated: true },
    shows: ['Procedure abandoned — its steps undone', 'mobile_data_path', 'intent_changed', 'compensate'],
  },
  'execution.lost': {
    data: { workflow: 'plan_change', turn: 2, reason: 'claim_taken' },
    shows: ['Execution lost its claim', 'plan_change', 'turn 2', 'claim_taken'],
  },
  'input.requested': {
    data: { workflow: 'mobile_data_path', slot: 'status_bar', question: 'What does the status bar show?' },
    shows: ['Procedure asks the customer', 'status_bar', 'What does the status bar show?', 'mobile_data_path'],
  },
  'input.expired': {
    data: { workflow: 'mobile_data_path', slot: 'status_bar', waitedMs: 3_600_000 },
    shows: ['The customer did not answer in time', 'mobile_data_path', '1 h 0 min', 'status_bar'],
  },
  'message.duplicated': { data: { turn: 3, messageId: 'm-7' }, shows: ['Message received again', 'm-7'] },
  'clarification.limited': { data: { slot: 'region', asked: 3 }, shows: ['Clarification limit reached', 'region', 'asked 3 times'] },
  'ticket.rolled_back': {
    data: { workflow: 'plan_change', to: 'collecting' },
    shows: ['Ticket rolled back', 'plan_change', 'back to the checkpoint', 'collecting'],
  },
  'approval.granted': {
    data: { workflow: 'billing_credit', step: 1, tool: 'issue_credit', key: 'T:2:1', by: 'supervisor-1', note: 'loyal customer', at: '2026-01-01T10:00:00Z' },
    shows: ['Approved by supervisor-1', 'issue_credit', 'billing_credit', 'loyal customer'],
  },
  'approval.rejected': {
    data: { workflow: 'billing_credit', step: 1, tool: 'issue_credit', key: 'T:2:1', by: 'supervisor-2', note: 'not eligible' },
    shows: ['Rejected by supervisor-2', 'issue_credit', 'not eligible'],
  },
  'approval.expired': {
    data: { workflow: 'billing_credit', step: 1, tool: 'issue_credit', key: 'T:2:1', waitedMs: 86_400_000 },
    shows: ['Approval expired', 'issue_credit', 'billing_credit', '24 h 0 min'],
  },
  'ticket.released': { data: { by: 'operator-9', note: 'reversed by hand' }, shows: ['Released by operator-9', 'reversed by hand'] },
  'reply.sent': {
    data: { turn: 2, action: { type: 'execute', workflow: 'billing_credit', outcome: 'resolved' }, reply: 'Your credit was issued.' },
    shows: ['Reply', 'run billing_credit → resolved', 'Your credit was issued.'],
  },
  'turn.completed': {
    data: { turn: 1, messageId: null, action: { type: 'ask', slot: 'region', question: 'Which city?' }, reply: 'Which city?' },
    shows: ['Turn completed', 'ask for region', 'Which city?'],
  },
};

/** Step and undo events are gathered into step cards and undo blocks; their samples. */
export const STEP_SAMPLES: StoredEvent[] = [
  { seq: 1, type: 'step.started', at: '2026-01-01T10:00:00.000Z', data: { step: 0, tool: 'change_plan', key: 'T:2:0', input: { plan: 'unlimited' } } },
  {
    seq: 2,
    type: 'step.completed',
    at: '2026-01-01T10:00:00.840Z',
    data: { step: 0, tool: 'change_plan', key: 'T:2:0', attempts: 1, output: { previous: 'basic' } },
  },
  { seq: 3, type: 'step.started', at: '2026-01-01T10:00:01.000Z', data: { step: 1, tool: 'send_notification', key: 'T:2:1', input: { phone: '****1234' } } },
  {
    seq: 4,
    type: 'step.retried',
    at: '2026-01-01T10:00:01.500Z',
    data: { step: 1, tool: 'send_notification', key: 'T:2:1', attempt: 2, error: 'Error: 503 from the SMS gateway' },
  },
  {
    seq: 5,
    type: 'step.failed',
    at: '2026-01-01T10:00:03.400Z',
    data: { step: 1, tool: 'send_notification', key: 'T:2:1', attempts: 2, error: 'Error: SMS gateway down' },
  },
  { seq: 6, type: 'step.not_compensable', at: '2026-01-01T10:00:03.500Z', data: { step: 1, tool: 'send_notification', key: 'T:2:1' } },
  { seq: 7, type: 'step.compensated', at: '2026-01-01T10:00:03.600Z', data: { step: 0, tool: 'change_plan', key: 'T:2:0', attempts: 1, outcomeKnown: true } },
];

/** Stored events from samples, numbered from 1. */
export function storedEvents(entries: [string, Record<string, unknown>][], start = '2026-01-01T10:00:00.000Z'): StoredEvent[] {
  const base = new Date(start).getTime();
  return entries.map(([type, data], index) => ({ seq: index + 1, type, at: new Date(base + index * 100).toISOString(), data }));
}
