import { useState } from 'preact/hooks';
import { ApiError, type Verdict } from '../api/client.js';
import type { DecisionAnswer, Session, TicketView } from '../api/types.js';
import { describeAction } from '../ui/format.js';
import { ValueView } from '../ui/value-view.js';

const VERDICTS: Record<Verdict, { label: string; done: string }> = {
  approve: { label: 'Approve', done: 'Approved' },
  reject: { label: 'Reject', done: 'Rejected' },
  release: { label: 'Release to the agent', done: 'Released' },
};

/** What the operator may do now: approve / reject a pending step, or release a `needs_human` ticket. */
export function DecisionPanel(props: {
  ticket: TicketView;
  session: Session;
  decide: (verdict: Verdict, note: string) => Promise<DecisionAnswer>;
  onDecided: () => void;
}) {
  const { ticket, session } = props;
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const verdicts: Verdict[] = ticket.status === 'awaiting_approval' ? ['approve', 'reject'] : ticket.status === 'needs_human' ? ['release'] : [];
  if (verdicts.length === 0 && !message) return null;
  const pending = ticket.execution?.steps.find((step) => step.state === 'awaiting_approval');

  async function act(verdict: Verdict) {
    setBusy(true);
    setMessage(null);
    try {
      const answer = await props.decide(verdict, note);
      setMessage({
        ok: true,
        text: `${VERDICTS[verdict].done}. Status: ${answer.ticket.status}${answer.action ? ` — ${describeAction(answer.action)}` : ''}.`,
      });
      setNote('');
      props.onDecided();
    } catch (error) {
      setMessage({ ok: false, text: error instanceof ApiError ? `${error.message} (${error.status} ${error.code})` : String(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="decision-panel" aria-labelledby="decide-title">
      <h2 id="decide-title">{ticket.status === 'needs_human' ? 'Needs a human' : verdicts.length > 0 ? 'Waiting for your approval' : 'Decision'}</h2>
      {pending && (
        <p>
          Step #{pending.index} <code>{pending.tool}</code> of <code>{ticket.execution!.workflow}</code> with <ValueView value={pending.input} />
        </p>
      )}
      {ticket.status === 'needs_human' && <p>A compensation failed: repair what the timeline shows was left behind, then release the ticket to the agent.</p>}
      {verdicts.length > 0 &&
        (session.canDecide ? (
          <form onSubmit={(submit) => submit.preventDefault()}>
            <label for="decision-note">Note (optional, recorded with your name {session.by})</label>
            <textarea id="decision-note" rows={2} maxLength={4000} value={note} onInput={(input) => setNote((input.target as HTMLTextAreaElement).value)} />
            <div class="buttons">
              {verdicts.map((verdict) => (
                <button key={verdict} type="button" class={`button-${verdict}`} disabled={busy} onClick={() => void act(verdict)}>
                  {VERDICTS[verdict].label}
                </button>
              ))}
            </div>
          </form>
        ) : (
          <p class="notice">Your access is read-only: you cannot approve, reject or release.</p>
        ))}
      <p role="status" aria-live="polite" class={message ? (message.ok ? 'result ok' : 'result error') : 'result'}>
        {message && (
          <>
            <span aria-hidden="true">{message.ok ? '✓ ' : '✗ '}</span>
            {message.text}
          </>
        )}
      </p>
    </section>
  );
}
