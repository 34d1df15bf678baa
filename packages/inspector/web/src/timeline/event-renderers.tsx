import type { ComponentChildren } from 'preact';
import type { StoredEvent } from '../api/types.js';
import { describeAction, formatConfidence, formatDuration, text } from '../ui/format.js';
import { Fields, ValueView } from '../ui/value-view.js';

/** How an event reads without colour: a tone adds colour to the symbol and the label. */
export type Tone = 'info' | 'good' | 'bad' | 'warn' | 'undo' | 'person' | 'quiet';

/** How one event type is shown: its label, a symbol, a tone and an optional body. */
export interface EventRenderer {
  label: string | ((data: Record<string, unknown>) => string);
  symbol: string;
  tone: Tone;
  body?: (data: Record<string, unknown>, event: StoredEvent) => ComponentChildren;
}

type Data = Record<string, unknown>;

const slotName = (data: Data) => <code class="slot-name">{text(data.slot) ?? '?'}</code>;
const workflow = (data: Data) => (text(data.workflow) ? <code>{text(data.workflow)}</code> : null);
const values = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? <Fields values={value as Data} /> : <ValueView value={value} />;
const list = (value: unknown) => (Array.isArray(value) ? value.map((item) => text(item) ?? JSON.stringify(item)).join(', ') : (text(value) ?? '—'));

function tokens(usage: unknown): string | null {
  if (typeof usage !== 'object' || usage === null) return null;
  const { inputTokens, outputTokens } = usage as Data;
  return typeof inputTokens === 'number' && typeof outputTokens === 'number' ? `${inputTokens} in / ${outputTokens} out tokens` : null;
}

function Reply({ data }: { data: Data }) {
  return (
    <>
      <span>
        Action: <strong>{describeAction(data.action)}</strong>
      </span>
      {text(data.reply) !== null && (
        <blockquote class="bubble agent" aria-label="Reply to the customer">
          {text(data.reply)}
        </blockquote>
      )}
    </>
  );
}

function Decision({ data }: { data: Data }) {
  const usage = tokens(data.usage);
  return (
    <div class="decision">
      <dl class="fields">
        <div>
          <dt>intent</dt>
          <dd>{text(data.intent) ? <code>{text(data.intent)}</code> : <em>unclear</em>}</dd>
        </div>
        <div>
          <dt>confidence</dt>
          <dd>{formatConfidence(data.confidence)}</dd>
        </div>
        <div>
          <dt>entities</dt>
          <dd>{values(data.entities)}</dd>
        </div>
        <div>
          <dt>ticket intent</dt>
          <dd>{text(data.ticketIntent) ?? '—'}</dd>
        </div>
        <div>
          <dt>workflow</dt>
          <dd>{text(data.workflow) ?? '—'}</dd>
        </div>
        <div>
          <dt>next action</dt>
          <dd>{describeAction(data.nextAction)}</dd>
        </div>
        <div>
          <dt>model</dt>
          <dd>
            {text(data.provider) ?? '?'} · {text(data.model) ?? '?'} · {formatDuration(data.latencyMs)}
            {usage ? ` · ${usage}` : ''}
          </dd>
        </div>
        {Array.isArray(data.ignoredKeys) && (
          <div>
            <dt>ignored keys</dt>
            <dd>{list(data.ignoredKeys)}</dd>
          </div>
        )}
      </dl>
    </div>
  );
}

function provenance(data: Data): string {
  switch (data.source) {
    case 'user':
      return 'said by the customer';
    case 'tool':
      return 'set by a tool';
    case 'inferred':
      return 'inferred';
    default:
      return text(data.source) ?? '';
  }
}

/**
 * One entry per event type the engine writes. A type without an entry is shown by
 * {@link genericRenderer} with all of its data, so nothing is ever hidden: a new event
 * type needs one entry here to read well, not to be seen.
 */
export const EVENT_RENDERERS: Record<string, EventRenderer> = {
  'message.received': {
    label: 'Customer',
    symbol: '✉',
    tone: 'info',
    body: (data) => (
      <>
        <blockquote class="bubble customer" aria-label="Customer message">
          {text(data.text) ?? ''}
        </blockquote>
        {text(data.messageId) && <span class="muted">messageId {text(data.messageId)}</span>}
        {data.retry === true && <span class="tag">resent</span>}
      </>
    ),
  },
  'llm.called': {
    label: 'LLM call',
    symbol: '◇',
    tone: 'quiet',
    body: (data) =>
      `${text(data.provider) ?? '?'} · ${text(data.model) ?? '?'} · ${formatDuration(data.latencyMs)}${tokens(data.usage) ? ` · ${tokens(data.usage)}` : ''}${data.purpose === 're-ask' ? ' · re-ask' : ''}`,
  },
  'llm.failed': {
    label: 'LLM call failed',
    symbol: '✗',
    tone: 'bad',
    body: (data) =>
      `${text(data.provider) ?? '?'}${text(data.model) ? ` · ${text(data.model)}` : ''}: ${text(data.kind) ?? 'error'} — ${text(data.message) ?? ''} (${formatDuration(data.latencyMs)})`,
  },
  'llm.skipped': { label: 'LLM skipped', symbol: '⊘', tone: 'warn', body: (data) => `${text(data.provider) ?? '?'}: ${text(data.reason) ?? ''}` },
  'llm.circuit_opened': {
    label: 'LLM circuit opened: provider skipped for a while',
    symbol: '⊘',
    tone: 'warn',
    body: (data) =>
      `${text(data.provider) ?? '?'} after ${text(data.failures) ?? '?'} failure(s) (${text(data.cause) ?? '?'}); retried from ${text(data.reopenAt) ?? '?'}`,
  },
  'llm.circuit_closed': {
    label: 'LLM circuit closed',
    symbol: '◉',
    tone: 'good',
    body: (data) => `${text(data.provider) ?? '?'} (${text(data.cause) ?? '?'})`,
  },
  'turn.degraded': {
    label: 'Degraded turn: no LLM could decide',
    symbol: '⚠',
    tone: 'warn',
    body: (data) => (
      <span>
        {text(data.reason) ?? 'error'} from {text(data.provider) ?? '?'} after {text(data.attempts) ?? '?'} attempt(s): <q>{text(data.message) ?? ''}</q>. The
        message was kept, not acted on.
      </span>
    ),
  },
  'decision.made': { label: 'Decision', symbol: '◆', tone: 'info', body: (data) => <Decision data={data} /> },
  'intent.changed': {
    label: 'Intent changed',
    symbol: '⇄',
    tone: 'info',
    body: (data) => `${text(data.from) ?? 'none'} → ${text(data.to) ?? 'none'} (confidence ${formatConfidence(data.confidence)})`,
  },
  'workflow.chosen': { label: 'Workflow chosen', symbol: '⇢', tone: 'info', body: (data) => `${text(data.from) ?? 'none'} → ${text(data.to) ?? 'none'}` },
  'slot.set': {
    label: 'Slot set',
    symbol: '✎',
    tone: 'info',
    body: (data) => (
      <span>
        {slotName(data)} = <ValueView value={data.value} /> — {provenance(data)}
        {text(data.confirmed) ? ` (confirms the ${text(data.confirmed)} value)` : ''}
        {typeof data.replaced === 'object' && data.replaced !== null && (
          <>
            {' '}
            (replaces <ValueView value={(data.replaced as Data).value} />, {text((data.replaced as Data).source) ?? '?'})
          </>
        )}
      </span>
    ),
  },
  'slot.corrected': {
    label: 'Slot corrected by the customer',
    symbol: '✎',
    tone: 'warn',
    body: (data) => (
      <span>
        {slotName(data)}: <ValueView value={data.from} /> → <ValueView value={data.to} />
      </span>
    ),
  },
  'slot.inferred': {
    label: 'Slot inferred',
    symbol: '∴',
    tone: 'info',
    body: (data) => (
      <span>
        {slotName(data)} = <ValueView value={data.value} /> — inferred from <code>{list(data.from)}</code>
        {data.previous !== undefined && (
          <>
            {' '}
            (was <ValueView value={data.previous} />)
          </>
        )}
      </span>
    ),
  },
  'slot.reverted': {
    label: 'Slot reverted',
    symbol: '↶',
    tone: 'undo',
    body: (data) => (
      <span>
        {slotName(data)} (was <ValueView value={data.value} />) removed: {text(data.reason) ?? ''}
      </span>
    ),
  },
  'slot.rejected': {
    label: 'Value refused',
    symbol: '✗',
    tone: 'warn',
    body: (data) => (
      <span>
        {slotName(data)} = <ValueView value={data.value} />: {text(data.reason) ?? ''}
        {text(data.source) ? ` (from ${text(data.source)})` : ''}
      </span>
    ),
  },
  'slot.cleared': {
    label: 'Slot cleared',
    symbol: '⌫',
    tone: 'quiet',
    body: (data) => (
      <span>
        {slotName(data)} (was <ValueView value={data.value} />
        ): {text(data.reason) ?? ''}
      </span>
    ),
  },
  'entity.ignored': { label: 'Entities ignored (not slots)', symbol: '⊘', tone: 'quiet', body: (data) => list(data.names) },
  'slots.deferred': {
    label: 'Optional slots deferred',
    symbol: '⇥',
    tone: 'quiet',
    body: (data) => (
      <span>
        {workflow(data)}: {list(data.slots)}
      </span>
    ),
  },
  'confirmation.requested': {
    label: (data) => (data.corrected ? 'Confirmation asked again (values changed)' : 'Confirmation asked'),
    symbol: '?',
    tone: 'info',
    body: (data) => (
      <span>
        {workflow(data)} {values(data.values)}
      </span>
    ),
  },
  'confirmation.accepted': {
    label: 'Customer confirmed',
    symbol: '✓',
    tone: 'good',
    body: (data) => (
      <span>
        {workflow(data)} {values(data.values)}
      </span>
    ),
  },
  'confirmation.declined': {
    label: 'Customer declined',
    symbol: '✗',
    tone: 'warn',
    body: (data) => (
      <span>
        {workflow(data)} {values(data.values)}
      </span>
    ),
  },
  'status.changed': {
    label: 'Status',
    symbol: '→',
    tone: 'quiet',
    body: (data) => `${text(data.from) ?? '?'} → ${text(data.to) ?? '?'}${text(data.cause) ? ` (${text(data.cause)})` : ''}`,
  },
  'execution.started': {
    label: 'Execution started',
    symbol: '▶',
    tone: 'info',
    body: (data) => (
      <span>
        {workflow(data)} with {values(data.values)}
        {Array.isArray(data.deferred) && data.deferred.length > 0 ? ` (deferred: ${list(data.deferred)})` : ''}
      </span>
    ),
  },
  'execution.completed': {
    label: (data) => `Execution ${text(data.outcome) ?? 'completed'}`,
    symbol: '✓',
    tone: 'good',
    body: (data) => (
      <span>
        {workflow(data)} · {text(data.steps) ?? '?'} step(s){data.data !== undefined && <> · data {values(data.data)}</>}
      </span>
    ),
  },
  'execution.failed': {
    label: (data) => (data.compensated === false ? 'Execution failed — compensation incomplete' : 'Execution failed — compensated'),
    symbol: '✗',
    tone: 'bad',
    body: (data) => (
      <span>
        {workflow(data)} ({text(data.reason) ?? 'failed'}): <q>{text(data.error) ?? ''}</q>
      </span>
    ),
  },
  'execution.recovery_started': {
    label: 'Recovery of an interrupted execution',
    symbol: '⟲',
    tone: 'warn',
    body: (data) => (
      <span>
        {workflow(data)} from turn {text(data.turn) ?? '?'}: worker <code>{text(data.previousOwner) ?? '?'}</code> stopped with {text(data.steps) ?? '?'}{' '}
        journaled step(s)
      </span>
    ),
  },
  'execution.recovered': {
    label: (data) => (data.compensated === false ? 'Recovered — compensation incomplete' : 'Recovered — compensated'),
    symbol: '⟲',
    tone: 'undo',
    body: (data) => (
      <span>
        {workflow(data)}: {text(data.error) ?? ''}
      </span>
    ),
  },
  'execution.superseded': {
    label: 'Earlier run superseded by a correction',
    symbol: '↺',
    tone: 'undo',
    body: (data) => (
      <span>
        {workflow(data)}: the run of turn {text(data.supersededTurn) ?? '?'} is undone ({text(data.calls) ?? '?'} call(s)) before running again with the
        corrected values
      </span>
    ),
  },
  'execution.suspended': {
    label: 'Procedure waiting for the customer',
    symbol: '‖',
    tone: 'person',
    body: (data) => (
      <span>
        {workflow(data)} asked for {slotName(data)}; {text(data.steps) ?? '?'} step(s) done so far are kept
      </span>
    ),
  },
  'execution.resumed': {
    label: 'Procedure resumed',
    symbol: '▶',
    tone: 'info',
    body: (data) => (
      <span>
        {workflow(data)} with the customer's answer for {slotName(data)}
      </span>
    ),
  },
  'execution.abandoned': {
    label: (data) => `Procedure abandoned${data.compensated === true ? ' — its steps undone' : data.policy === 'keep' ? ' — its steps kept' : ''}`,
    symbol: '⊘',
    tone: 'warn',
    body: (data) => (
      <span>
        {workflow(data)}: {text(data.reason) ?? '?'} (on abandon: {text(data.policy) ?? '?'})
      </span>
    ),
  },
  'execution.lost': {
    label: 'Execution lost its claim',
    symbol: '⚠',
    tone: 'warn',
    body: (data) => (
      <span>
        {workflow(data)} of turn {text(data.turn) ?? '?'}: {text(data.reason) ?? '?'}
      </span>
    ),
  },
  'input.requested': {
    label: 'Procedure asks the customer',
    symbol: '?',
    tone: 'person',
    body: (data) => (
      <span>
        {slotName(data)}
        {text(data.question) ? (
          <>
            {' '}
            — <q>{text(data.question)}</q>
          </>
        ) : null}{' '}
        {workflow(data)}
      </span>
    ),
  },
  'input.expired': {
    label: 'The customer did not answer in time',
    symbol: '◷',
    tone: 'warn',
    body: (data) => (
      <span>
        {workflow(data)} waited {formatDuration(data.waitedMs)} for {slotName(data)}
      </span>
    ),
  },
  'message.duplicated': {
    label: 'Message received again (same messageId): answered from the record',
    symbol: '≡',
    tone: 'quiet',
    body: (data) => `messageId ${text(data.messageId) ?? '?'}`,
  },
  'clarification.limited': {
    label: 'Clarification limit reached: escalated',
    symbol: '↑',
    tone: 'warn',
    body: (data) => (
      <span>
        {slotName(data)} asked {text(data.asked) ?? '?'} times without an answer
      </span>
    ),
  },
  'ticket.rolled_back': {
    label: 'Ticket rolled back',
    symbol: '↶',
    tone: 'undo',
    body: (data) => (
      <span>
        {workflow(data)}: back to the checkpoint, status {text(data.to) ?? '?'}
      </span>
    ),
  },
  'approval.granted': { label: (data) => `Approved by ${text(data.by) ?? '?'}`, symbol: '✓', tone: 'person', body: (data) => <ApprovalBody data={data} /> },
  'approval.rejected': { label: (data) => `Rejected by ${text(data.by) ?? '?'}`, symbol: '✗', tone: 'person', body: (data) => <ApprovalBody data={data} /> },
  'approval.expired': {
    label: 'Approval expired: nobody decided in time',
    symbol: '◷',
    tone: 'warn',
    body: (data) => (
      <span>
        step #{text(data.step) ?? '?'} <code>{text(data.tool) ?? '?'}</code> of {workflow(data)} waited {formatDuration(data.waitedMs)}
      </span>
    ),
  },
  'ticket.released': {
    label: (data) => `Released by ${text(data.by) ?? '?'}`,
    symbol: '⚑',
    tone: 'person',
    body: (data) => (text(data.note) ? <q>{text(data.note)}</q> : 'handed back to the agent'),
  },
  'reply.sent': { label: 'Reply', symbol: '↩', tone: 'info', body: (data) => <Reply data={data} /> },
  'turn.completed': { label: 'Turn completed', symbol: '↩', tone: 'info', body: (data) => <Reply data={data} /> },
};

function ApprovalBody({ data }: { data: Data }) {
  return (
    <span>
      step #{text(data.step) ?? '?'} <code>{text(data.tool) ?? '?'}</code> of {workflow(data)}
      {text(data.note) ? (
        <>
          {' '}
          — <q>{text(data.note)}</q>
        </>
      ) : null}
    </span>
  );
}

/** How an event type without an entry is shown: its name and all of its data. */
export const genericRenderer: EventRenderer = { label: '', symbol: '•', tone: 'quiet', body: (data) => <Fields values={data} /> };

/** The renderer of an event (the generic one for a type not in the table). */
export function rendererOf(type: string): EventRenderer {
  return Object.prototype.hasOwnProperty.call(EVENT_RENDERERS, type) ? EVENT_RENDERERS[type]! : { ...genericRenderer, label: type };
}
