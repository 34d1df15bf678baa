import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api/client.js';
import type { Inspection, Session } from '../api/types.js';
import { ReplayPanel } from '../replay/replay-panel.js';
import { TimelineView } from '../timeline/timeline-view.js';
import { formatTime } from '../ui/format.js';
import { StatusBadge } from '../ui/status-badge.js';
import { DecisionPanel } from './decision-panel.js';
import { SlotsTable } from './slots-table.js';

/** One ticket: summary, what the operator may do, its slots, its timeline and its replay. */
export function TicketPage({
  api,
  session,
  ticketId,
  onUnauthorized,
}: {
  api: ApiClient;
  session: Session;
  ticketId: string;
  onUnauthorized: (error: ApiError) => void;
}) {
  const [inspection, setInspection] = useState<Inspection | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const load = useCallback(async () => {
    try {
      setInspection(await api.ticket(ticketId));
      setError(null);
    } catch (caught) {
      const failure = caught instanceof ApiError ? caught : new ApiError(0, 'unexpected', String(caught));
      if (failure.status === 401) onUnauthorized(failure);
      else setError(failure);
    }
  }, [api, ticketId, onUnauthorized]);

  useEffect(() => {
    setInspection(null);
    void load();
  }, [load]);
  useEffect(() => heading.current?.focus(), [ticketId]);

  const ticket = inspection?.ticket ?? null;
  return (
    <main id="main">
      <p>
        <a href="#/">← Queues</a>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        Ticket <code>{ticketId}</code>
      </h1>
      {error && (
        <p class="result error" role="alert">
          ✗ {error.status === 404 ? 'There is no ticket with this id.' : error.message}
        </p>
      )}
      {!inspection && !error && <p aria-busy="true">Loading…</p>}
      {inspection && (
        <>
          {ticket ? (
            <section class="summary" aria-label="Summary">
              <StatusBadge status={ticket.status} />
              <dl class="fields">
                <Item name="intent" value={ticket.intent ?? '—'} />
                <Item name="workflow" value={ticket.workflow ?? '—'} />
                <Item name="turns" value={String(ticket.turn)} />
                <Item name="version" value={String(ticket.version)} />
                <Item name="created" value={formatTime(ticket.createdAt)} />
                <Item name="updated" value={formatTime(ticket.updatedAt)} />
                {ticket.pending && (
                  <Item name="waiting for" value={`${ticket.pending.slot}${ticket.pending.workflow ? ` (${ticket.pending.workflow})` : ''}`} />
                )}
                {ticket.usage && (
                  <Item name="LLM usage" value={`${ticket.usage.llmCalls} call(s), ${ticket.usage.inputTokens} in / ${ticket.usage.outputTokens} out tokens`} />
                )}
              </dl>
              <button type="button" class="secondary" onClick={() => void load()}>
                Refresh
              </button>
            </section>
          ) : (
            <p class="notice">The ticket document is gone; its events remain.</p>
          )}
          {ticket && (
            <DecisionPanel ticket={ticket} session={session} decide={(verdict, note) => api.decide(ticketId, verdict, note)} onDecided={() => void load()} />
          )}
          {ticket && <SlotsTable slots={ticket.slots} deferred={ticket.deferred} />}
          <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">Timeline ({inspection.events.length} events)</h2>
            <TimelineView events={inspection.events} />
          </section>
          <ReplayPanel session={session} replay={() => api.replay(ticketId)} />
        </>
      )}
    </main>
  );
}

function Item({ name, value }: { name: string; value: string }) {
  return (
    <div>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </div>
  );
}
