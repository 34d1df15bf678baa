import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';
import type { ReplayReport, ReplayTurn, Session } from '../api/types.js';
import { describeAction } from '../ui/format.js';
import { Fields, ValueView } from '../ui/value-view.js';

const KNOWN_TURN_FIELDS = new Set(['turn', 'message', 'recorded', 'replayed', 'same']);

/** Recorded vs replayed, key by key; a differing key is marked with ≠ (not only by colour). */
function Comparison({ turn }: { turn: ReplayTurn }) {
  const recorded = (turn.recorded ?? {}) as Record<string, unknown>;
  const replayed = (turn.replayed ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(recorded), ...Object.keys(replayed)])];
  return (
    <dl class="fields comparison">
      {keys.map((key) => {
        const differs = JSON.stringify(recorded[key]) !== JSON.stringify(replayed[key]);
        const show = (value: unknown) => (key === 'action' ? <code>{describeAction(value)}</code> : <ValueView value={value} />);
        return (
          <div key={key} class={differs ? 'differs' : ''}>
            <dt>
              {differs && <span class="diff-mark">≠ </span>}
              {key}
            </dt>
            <dd>
              <span class="side">recorded: {show(recorded[key])}</span>
              <span class="side">replayed: {show(replayed[key])}</span>
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

function TurnRow({ turn }: { turn: ReplayTurn }) {
  const extra = Object.fromEntries(Object.entries(turn).filter(([key]) => !KNOWN_TURN_FIELDS.has(key)));
  return (
    <li class={turn.same ? 'replay-turn same' : 'replay-turn diverged'}>
      <h3>
        Turn {turn.turn}{' '}
        {turn.same ? (
          <span class="verdict same">
            <span aria-hidden="true">✓</span> same
          </span>
        ) : (
          <span class="verdict diverged">
            <span aria-hidden="true">≠</span> DIVERGED
          </span>
        )}
      </h3>
      {typeof turn.message === 'string' && <blockquote class="bubble customer">{turn.message}</blockquote>}
      <Comparison turn={turn} />
      {Object.keys(extra).length > 0 && <Fields values={extra} />}
    </li>
  );
}

function summary(report: ReplayReport): string {
  const divergent = report.turns.filter((turn) => !turn.same).length;
  if (divergent === 0 && !report.diverged) return `All ${report.turns.length} turn(s) replay the same against the running code.`;
  return `${divergent} of ${report.turns.length} turn(s) diverge from the recording.`;
}

/** Re-runs the ticket against the running code (no model, no tool called) and shows where it diverges. */
export function ReplayPanel({ session, replay }: { session: Session; replay: () => Promise<{ report: ReplayReport }> }) {
  const [state, setState] = useState<{ kind: 'idle' | 'running' } | { kind: 'done'; report: ReplayReport } | { kind: 'error'; text: string }>({ kind: 'idle' });
  const unavailable = session.replay !== 'available';

  async function run() {
    setState({ kind: 'running' });
    try {
      const { report } = await replay();
      setState({ kind: 'done', report });
    } catch (error) {
      setState({ kind: 'error', text: error instanceof ApiError ? `${error.message} (${error.status} ${error.code})` : String(error) });
    }
  }

  return (
    <section class="replay" aria-labelledby="replay-title">
      <h2 id="replay-title">Replay against the running code</h2>
      <p class="muted">Recorded decisions replace the model, recorded tool outputs replace the tools; nothing is written, no tool is called.</p>
      {unavailable ? (
        <p class="notice">
          {session.replay === 'not_configured' ? 'Replay is off: the server registers the inspector without replay definitions.' : 'The installed @ticketflow/core cannot replay tickets yet.'}
        </p>
      ) : (
        <button type="button" onClick={() => void run()} disabled={state.kind === 'running'}>
          {state.kind === 'running' ? 'Replaying…' : 'Replay this ticket'}
        </button>
      )}
      <div role="status" aria-live="polite">
        {state.kind === 'error' && <p class="result error">✗ {state.text}</p>}
        {state.kind === 'done' && (
          <p class={state.report.turns.some((turn) => !turn.same) ? 'result error' : 'result ok'}>
            {state.report.turns.some((turn) => !turn.same) ? '≠ ' : '✓ '}
            {summary(state.report)}
          </p>
        )}
      </div>
      {state.kind === 'done' && (
        <ol class="replay-turns">
          {state.report.turns.map((turn, index) => (
            <TurnRow key={index} turn={turn} />
          ))}
        </ol>
      )}
    </section>
  );
}
