import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api/client.js';
import type { Queue, Session } from '../api/types.js';
import { formatAge, formatTime } from '../ui/format.js';
import { statusLabel } from '../ui/status.js';
import { StatusBadge } from '../ui/status-badge.js';

const PAGE = 20;

export const ticketHref = (id: string) => `#/tickets/${encodeURIComponent(id)}`;

function QueueSection({ queue, more }: { queue: Queue; more: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const { label, symbol } = statusLabel(queue.status);
  const titleId = `queue-${queue.status}`;
  return (
    <section class={`queue${queue.attention ? ' attention' : ''}`} aria-labelledby={titleId}>
      <h2 id={titleId}>
        <span aria-hidden="true">{symbol}</span> {label}{' '}
        <span class="muted">
          ({queue.tickets.length}
          {queue.cursor ? '+' : ''})
        </span>
        {queue.attention && <span class="tag attention-tag">waits for a person</span>}
      </h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Ticket</th>
              <th scope="col">Status</th>
              <th scope="col">Last change (oldest first)</th>
            </tr>
          </thead>
          <tbody>
            {queue.tickets.map((ticket) => (
              <tr key={ticket.ticketId}>
                <th scope="row">
                  <a href={ticketHref(ticket.ticketId)}>{ticket.ticketId}</a>
                </th>
                <td>
                  <StatusBadge status={ticket.status} />
                </td>
                <td>
                  <time dateTime={ticket.updatedAt} title={formatTime(ticket.updatedAt)}>
                    {formatAge(ticket.updatedAt)}
                  </time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {queue.cursor && (
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            await more().finally(() => setBusy(false));
          }}
        >
          {busy ? 'Loading…' : `Show more ${label.toLowerCase()}`}
        </button>
      )}
    </section>
  );
}

/** The queues: tickets by status, oldest first, those waiting for a person on top; paged. */
export function QueuesPage({ api, session, onUnauthorized }: { api: ApiClient; session: Session; onUnauthorized: (error: ApiError) => void }) {
  const [queues, setQueues] = useState<Queue[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [lookup, setLookup] = useState('');

  const fail = useCallback(
    (caught: unknown) => {
      if (caught instanceof ApiError && caught.status === 401) onUnauthorized(caught);
      else setError(caught instanceof Error ? caught.message : String(caught));
    },
    [onUnauthorized],
  );
  const load = useCallback(() => api.queues(PAGE).then(({ queues: loaded }) => (setQueues(loaded), setError(null)), fail), [api, fail]);
  useEffect(() => void load(), [load]);

  async function more(status: string) {
    const queue = queues?.find((entry) => entry.status === status);
    if (!queue?.cursor) return;
    try {
      const page = await api.tickets({ status, cursor: queue.cursor, limit: PAGE });
      setQueues(
        (current) =>
          current?.map((entry) => (entry.status === status ? { ...entry, tickets: [...entry.tickets, ...page.tickets], cursor: page.cursor } : entry)) ?? null,
      );
    } catch (caught) {
      fail(caught);
    }
  }

  const filled = queues?.filter((queue) => queue.tickets.length > 0) ?? [];
  const empty = queues?.filter((queue) => queue.tickets.length === 0) ?? [];
  return (
    <main id="main">
      <h1 tabIndex={-1}>Queues</h1>
      <form
        class="lookup"
        onSubmit={(submit) => {
          submit.preventDefault();
          if (lookup.trim()) location.hash = ticketHref(lookup.trim());
        }}
      >
        <label for="lookup">Open a ticket by id</label>
        <input id="lookup" value={lookup} maxLength={1024} onInput={(input) => setLookup((input.target as HTMLInputElement).value)} autoComplete="off" />
        <button type="submit">Open</button>
        <button type="button" class="secondary" onClick={() => void load()}>
          Refresh
        </button>
      </form>
      {error && (
        <p class="result error" role="alert">
          ✗ {error}
        </p>
      )}
      {!queues && !error && <p aria-busy="true">Loading…</p>}
      {queues && filled.length === 0 && <p>No tickets yet.</p>}
      {filled.map((queue) => (
        <QueueSection key={queue.status} queue={queue} more={() => more(queue.status)} />
      ))}
      {empty.length > 0 && <p class="muted">Empty: {empty.map((queue) => statusLabel(queue.status).label.toLowerCase()).join(', ')}.</p>}
      <p class="muted">{session.attention.length > 0 ? 'Tickets waiting for a person are listed first.' : ''}</p>
    </main>
  );
}
