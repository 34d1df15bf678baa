import type { StoredEvent } from '../api/types.js';
import { between, formatDuration, formatTime, text } from '../ui/format.js';
import { ValueView } from '../ui/value-view.js';
import type { StepRecord } from './build-timeline.js';

const OUTCOMES: Record<StepRecord['outcome'], { label: string; symbol: string }> = {
  completed: { label: 'completed', symbol: '✓' },
  failed: { label: 'failed', symbol: '✗' },
  running: { label: 'started, outcome unknown', symbol: '…' },
  awaiting_approval: { label: 'awaiting approval', symbol: '‖' },
};

const UNDO: Record<NonNullable<StepRecord['undo']>['outcome'], { label: string; symbol: string }> = {
  compensated: { label: 'undone (compensated)', symbol: '↺' },
  not_compensable: { label: 'not undone: the tool has no compensation', symbol: '–' },
  failed: { label: 'compensation FAILED', symbol: '⚠' },
};

export const stepAnchor = (key: string) => `step-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
const stepName = (step: StepRecord) => `#${step.index ?? '?'} ${step.tool}`;

/** A tool step: input, output, attempts, duration, outcome, approval and its undo, in one card. */
export function StepCard({ step, groupTitle }: { step: StepRecord; groupTitle: (index: number) => string }) {
  const outcome = OUTCOMES[step.outcome];
  const duration = step.durationMs ?? between(step.startedAt, step.endedAt);
  return (
    <article
      class={`step outcome-${step.outcome}${step.undo ? ` step-undo-${step.undo.outcome}` : ''}`}
      id={stepAnchor(step.key)}
      aria-label={`Tool step ${stepName(step)}`}
    >
      <h4>
        <span aria-hidden="true">⚙</span> Step {stepName(step)}{' '}
        <span class="outcome">
          <span aria-hidden="true">{outcome.symbol}</span> {outcome.label}
        </span>
        {step.undo && (
          <span class={`undo-label undo-${step.undo.outcome}`}>
            <span aria-hidden="true">{UNDO[step.undo.outcome].symbol}</span> {UNDO[step.undo.outcome].label}
          </span>
        )}
      </h4>
      <dl class="fields">
        <div>
          <dt>input</dt>
          <dd>
            <ValueView value={step.input} />
          </dd>
        </div>
        {step.output !== undefined && (
          <div>
            <dt>output</dt>
            <dd>
              <ValueView value={step.output} />
            </dd>
          </div>
        )}
        {step.error !== undefined && (
          <div>
            <dt>error</dt>
            <dd>
              <ValueView value={step.error} />
            </dd>
          </div>
        )}
        {step.ran === false && (
          <div>
            <dt>ran</dt>
            <dd>no: the tool was never called</dd>
          </div>
        )}
        {step.replaces !== null && (
          <div>
            <dt>re-runs</dt>
            <dd>step #{step.replaces}</dd>
          </div>
        )}
        <div>
          <dt>attempts</dt>
          <dd>{step.attempts ?? (step.retries.length > 0 ? step.retries.length + 1 : '—')}</dd>
        </div>
        <div>
          <dt>duration</dt>
          <dd>{duration === null ? '—' : formatDuration(duration)}</dd>
        </div>
        {step.retries.map((retry, index) => (
          <div key={index}>
            <dt>retry {text(retry.attempt) ?? index + 1}</dt>
            <dd>
              <ValueView value={retry.error} />
            </dd>
          </div>
        ))}
        {step.approval && (
          <div>
            <dt>approval</dt>
            <dd>
              {step.approval.verdict === null
                ? `requested ${formatTime(step.approval.requestedAt)}, waiting`
                : step.approval.verdict === 'expired'
                  ? '◷ expired: nobody decided in time'
                  : `${step.approval.verdict === 'granted' ? '✓ approved' : '✗ rejected'} by ${step.approval.by ?? '?'}${step.approval.note ? ` — “${step.approval.note}”` : ''}`}
            </dd>
          </div>
        )}
        {step.undo && (
          <div>
            <dt>undo</dt>
            <dd>
              {UNDO[step.undo.outcome].label}
              {step.undo.reason ? ` (${step.undo.reason})` : ''}
              {text(step.undo.attempts) ? `, ${text(step.undo.attempts)} attempt(s)` : ''}
              {step.undo.durationMs !== null ? `, ${formatDuration(step.undo.durationMs)}` : ''}
              {step.undo.outcomeKnown === false ? ', the call’s own outcome was unknown' : ''}
              {text(step.undo.error) ? ` — ${text(step.undo.error)}` : ''}
              {step.undo.group !== step.group ? ` (${groupTitle(step.undo.group)})` : ''}
            </dd>
          </div>
        )}
        <div>
          <dt>idempotency key</dt>
          <dd>
            <code>{step.key}</code>
          </dd>
        </div>
      </dl>
    </article>
  );
}

/** A step shown in full in an earlier group, and continued here (e.g. run after an approval). */
export function StepReference({ step, event, groupTitle }: { step: StepRecord; event: StoredEvent; groupTitle: (index: number) => string }) {
  const outcome = OUTCOMES[step.outcome];
  return (
    <p class="step-ref">
      <span aria-hidden="true">⚙</span> Step{' '}
      <a href={`#${stepAnchor(step.key)}`} onClick={(click) => jumpTo(click, step.key)}>
        {stepName(step)}
      </a>{' '}
      ({event.type.replace('step.', '')}): {outcome.label}
      {step.output !== undefined && (
        <>
          , output <ValueView value={step.output} />
        </>
      )}{' '}
      — details in {groupTitle(step.group)}
    </p>
  );
}

/** What was undone, in the order it was undone (reverse order of the steps), each next to its step. */
export function UndoBlock({ events, steps, groupTitle }: { events: StoredEvent[]; steps: Map<string, StepRecord>; groupTitle: (index: number) => string }) {
  return (
    <section class="undo-block" aria-label="Compensation">
      <h4>
        <span aria-hidden="true">↺</span> Undo, in reverse order
      </h4>
      <ol>
        {events.map((event) => {
          const key = text(event.data?.key) ?? '';
          const step = steps.get(key);
          const outcome = event.type === 'step.compensated' ? 'compensated' : event.type === 'step.not_compensable' ? 'not_compensable' : 'failed';
          return (
            <li key={event.seq} class={`undo-${outcome}`}>
              <span aria-hidden="true">{UNDO[outcome].symbol}</span>{' '}
              <a href={`#${stepAnchor(key)}`} onClick={(click) => jumpTo(click, key)}>
                Step #{text(event.data?.step) ?? '?'} {text(event.data?.tool) ?? '?'}
              </a>
              : {UNDO[outcome].label}
              {text(event.data?.error) ? ` — ${text(event.data?.error)}` : ''}
              {step && step.group !== undefined && step.undo && step.group !== step.undo.group ? ` (the step ran in ${groupTitle(step.group)})` : ''}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** In-page jump that keeps the hash router's URL: scrolls to and focuses the step's card. */
function jumpTo(click: MouseEvent, key: string): void {
  click.preventDefault();
  const target = document.getElementById(stepAnchor(key));
  if (!target) return;
  target.setAttribute('tabindex', '-1');
  target.scrollIntoView?.({ block: 'center' });
  target.focus();
}
