import { useMemo } from 'preact/hooks';
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
      return group.opener?.type === 'ticket.released' ? `Released by ${text(data.by) ?? '?'}` : `${group.opener?.type === 'approval.granted' ? 'Approved' : 'Rejected'} by ${text(data.by) ?? '?'}`;
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
        <details class="record">
          <summary>
            <time dateTime={event.at}>{formatTime(event.at)}</time> · #{event.seq} <code>{event.type}</code>
          </summary>
          <pre>{JSON.stringify(data, null, 2)}</pre>
        </details>
      </div>
    </li>
  );
}

/**
 * A ticket's whole life from its event log: one section per customer turn (message,
 * decision, slots, steps, undo, reply) and per operator decision or recovery in between.
 */
export function TimelineView({ events }: { events: StoredEvent[] }) {
  const timeline = useMemo(() => buildTimeline(events), [events]);
  const titleOf = (index: number) => {
    const group = timeline.groups[index];
    return group ? groupTitle(group) : '?';
  };
  if (timeline.groups.length === 0) return <p class="muted">No events recorded.</p>;
  return (
    <ol class="timeline" aria-label="Timeline">
      {timeline.groups.map((group) => (
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
                    {item.kind === 'step' ? <StepCard step={step} groupTitle={titleOf} /> : <StepReference step={step} event={item.event} groupTitle={titleOf} />}
                  </li>
                );
              })}
            </ul>
          </section>
        </li>
      ))}
    </ol>
  );
}
