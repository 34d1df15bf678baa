import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';
import type { ReplayReport, ReplayTurn, Session } from '../api/types.js';
import { describeAction } from '../ui/format.js';
import { Fields, ValueView } from '../ui/value-view.js';

const KNOWN_TURN_FIELDS = new Set(['turn', 'operation', 'message', 'recorded', 'replayed', 'same', 'divergences']);
const OPERATIONS: Record<string, string> = { message: 'customer message', approve: 'approval', reject: 'rejection', release: 'release' };

const toolCalls = (value: unknown) =>
  Array.isArray(value)
    ? value.length === 0
      ? 'none'
      : value.map((call) => `${(call as { tool?: unknown }).tool ?? '?'}(${JSON.stringify((call as { input?: unknown }).input ?? {})})`).join(', ')
    : null;

function Shown({ name, value }: { name: string; value: unknown }) {
  if (name === 'action') return <code>{value === null ? 'none' : describeAction(value)}</code>;
  if (name === 'toolCalls') return <code>{toolCalls(value) ?? JSON.stringify(value)}</code>;
  if (name === 'slots' && typeof value === 'object' && value !== null) return <Fields values={value as Record<string, unknown>} />;
  return <ValueView value={value} />;
}

/**
 * Recorded vs replayed, key by key. A key both sides have and that differs is marked with ≠
 * (not only by colour); a key only one side reports (the replayed slots) is shown as such.
 */
function Comparison({ turn }: { turn: ReplayTurn }) {
  const recorded = (turn.recorded ?? {}) as Record<string, unknown>;
  const replayed = (turn.replayed ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(recorded), ...Object.keys(replayed)])];
  return (
    <dl class="fields comparison">
      {keys.map((key) => {
        const both = key in recorded && key in replayed;
        const differs = both && JSON.stringify(recorded[key]) !== JSON.stringify(replayed[key]);
        return (
          <div key={key} class={differs ? 'differs' : ''}>
            <dt>
              {differs && <span class="diff-mark">≠ </span>}
              {key}
            </dt>
            <dd>
              {key in recorded && (
                <span class="side">
                  recorded: <Shown name={key} value={recorded[key]} />
                </span>
              )}
              {key in replayed && (
                <span class="side">
                  {both ? 'replayed' : 'replayed only'}: <Shown name={key} value={replayed[key]} />
                </span>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

/** One divergence in words: what differs, or the tool call the recording lacks (never executed). */
function DivergenceLine({ divergence }: { divergence: unknown }) {
  if (typeof divergence !== 'object' || divergence === null) return <li>{String(divergence)}</li>;
  const d = divergence as Record<string, unknown>;
  switch (d.kind) {
    case 'action':
      return (
        <li>
          ≠ action: recorded {d.recorded === null ? 'none' : describeAction(d.recorded)}, replayed {d.replayed === null ? 'none' : describeAction(d.replayed)}
        </li>
      );
    case 'reply':
      return (
        <li>
          ≠ reply: recorded <ValueView value={d.recorded} />, replayed <ValueView value={d.replayed} />
        </li>
      );
    case 'tool_calls':
      return (
        <li>
          ≠ tool calls: recorded {toolCalls(d.recorded)}, replayed {toolCalls(d.replayed)}
        </li>
      );
    case 'unrecorded_tool_call':
      return (
        <li class="unrecorded">
          ⚠ unrecorded tool call: <code>{String(d.tool)}</code> with <ValueView value={d.input} /> — the recording has no output for it, so it was not executed
        </li>
      );
    case 'error':
      return <li>✗ error while replaying: {String(d.message)}</li>;
    default:
      return (
        <li>
          {String(d.kind ?? 'divergence')}: <Fields values={d} />
        </li>
      );
  }
}

function TurnRow({ turn }: { turn: ReplayTurn }) {
  const extra = Object.fromEntries(Object.entries(turn).filter(([key]) => !KNOWN_TURN_FIELDS.has(key)));
  const operation = typeof turn.operation === 'string' ? turn.operation : 'message';
  const divergences = Array.isArray(turn.divergences) ? turn.divergences : [];
  return (
    <li class={turn.same ? 'replay-turn same' : 'replay-turn diverged'}>
      <h3>
        Turn {turn.turn} <span class="muted">{OPERATIONS[operation] ?? operation}</span>{' '}
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
      {divergences.length > 0 && (
        <ul class="divergences" aria-label={`Divergences of turn ${turn.turn} (${OPERATIONS[operation] ?? operation})`}>
          {divergences.map((divergence, index) => (
            <DivergenceLine key={index} divergence={divergence} />
          ))}
        </ul>
      )}
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
        <p class="notice">Replay is off: the server registers the inspector without the definitions to replay against.</p>
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
