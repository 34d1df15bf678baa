import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { StoredEvent } from '../api/types.js';
import { formatTime, text } from '../ui/format.js';
import { buildTimeline, type TimelineGroup } from './build-timeline.js';
import { rendererOf } from './event-renderers.js';
import { StepCard, StepReference, UndoBlock } from './step-card.js';

/** The title of a group, e.g. "Turn 3", "Approved by supervisor-1", "Recovery". */
export function groupTitle(group: TimelineGroup): string {
  const data = group.opener?.data ?? {};
  switch (group.kind) {
    case 'turn':
      return `Turn ${group.turn ?? '?'}`;
    case 'operator':
      return group.opener?.type === 'ticket.released'
        ? `Released by ${text(data.by) ?? '?'}`
        : `${group.opener?.type === 'approval.granted' ? 'Approved' : 'Rejected'} by ${text(data.by) ?? '?'}`;
    case 'recovery':
      return 'Recovery';
    default:
      return group.opener ? `${group.opener.type}` : 'Before the first message';
  }
}

/** One event as a line: symbol, label, body, time, and its whole record on demand. */
export function EventLine({ event }: { event: StoredEvent }) {
  const renderer = rendererOf(event.type);
  const data = event.data ?? {};
  const label = typeof renderer.label === 'function' ? renderer.label(data) : renderer.label;
  return (
    <li class={`event tone-${renderer.tone}`} data-type={event.type}>
      <span class="symbol" aria-hidden="true">
        {renderer.symbol}
      </span>
      <div class="event-main">
        <strong class="event-label">{label}</strong> {renderer.body?.(data, event)}
        <Record event={event} />
      </div>
    </li>
  );
}

/** The event's time, seq and type; its whole record is rendered only when opened (long logs stay light). */
function Record({ event }: { event: StoredEvent }) {
  const [open, setOpen] = useState(false);
  const details = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const element = details.current;
    if (!element) return;
    const update = () => setOpen(element.open);
    element.addEventListener('toggle', update);
    return () => element.removeEventListener('toggle', update);
  }, []);
  return (
    <details class="record" ref={details}>
      <summary>
        <time dateTime={event.at}>{formatTime(event.at)}</time> · #{event.seq} <code>{event.type}</code>
      </summary>
      {open && <pre>{JSON.stringify(event.data ?? {}, null, 2)}</pre>}
    </details>
  );
}

/** How many groups (turns, operator decisions…) are shown at first: the latest ones. */
export const INITIAL_GROUPS = 40;

/**
 * A ticket's whole life from its event log: one section per customer turn (message,
 * decision, slots, steps, undo, reply) and per operator decision or recovery in between.
 */
export function TimelineView({ events }: { events: StoredEvent[] }) {
  const timeline = useMemo(() => buildTimeline(events), [events]);
  const [shown, setShown] = useState(INITIAL_GROUPS);
  const titleOf = (index: number) => {
    const group = timeline.groups[index];
    return group ? groupTitle(group) : '?';
  };
  if (timeline.groups.length === 0) return <p class="muted">No events recorded.</p>;
  const hidden = Math.max(0, timeline.groups.length - shown);
  return (
    <>
      {hidden > 0 && (
        <button type="button" class="secondary" onClick={() => setShown((count) => count + INITIAL_GROUPS * 4)}>
          Show {Math.min(hidden, INITIAL_GROUPS * 4)} earlier of {hidden} hidden sections
        </button>
      )}
      <ol class="timeline" aria-label="Timeline" start={hidden + 1}>
        {timeline.groups.slice(hidden).map((group) => (
          <li key={group.index} class={`group group-${group.kind}${group.degraded ? ' degraded' : ''}`}>
            <section aria-labelledby={`group-${group.index}`}>
              <h3 id={`group-${group.index}`}>
                {titleOf(group.index)} <time dateTime={group.at}>{formatTime(group.at)}</time>
                {group.degraded && <span class="tag warn">⚠ degraded</span>}
              </h3>
              <ul class="events">
                {group.items.map((item, position) => {
                  if (item.kind === 'event') return <EventLine key={item.event.seq} event={item.event} />;
                  if (item.kind === 'undo') {
                    return (
                      <li key={`undo-${position}`} class="event tone-undo">
                        <UndoBlock events={item.events} steps={timeline.steps} groupTitle={titleOf} />
                      </li>
                    );
                  }
                  const step = timeline.steps.get(item.key)!;
                  return (
                    <li key={`step-${item.key}`} class="event tone-step">
                      {item.kind === 'step' ? (
                        <StepCard step={step} groupTitle={titleOf} />
                      ) : (
                        <StepReference step={step} event={item.event} groupTitle={titleOf} />
                      )}
                    </li>
                  );
                })}
              </ul>
            </section>
          </li>
        ))}
      </ol>
    </>
  );
}
