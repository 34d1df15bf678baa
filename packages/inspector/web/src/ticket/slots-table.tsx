import type { SlotValue } from '../api/types.js';
import { ValueView } from '../ui/value-view.js';

function provenance(slot: SlotValue): string {
  const turn = ` in turn ${slot.turn}`;
  switch (slot.source) {
    case 'user':
      return `said by the customer${turn}`;
    case 'inferred':
      return `inferred from ${slot.from?.join(', ') || 'other slots'}${turn}`;
    case 'tool':
      return `from a tool${turn}`;
    default:
      return `${slot.source}${turn}`;
  }
}

/** The ticket's known slots now, with where each value came from. */
export function SlotsTable({ slots, deferred }: { slots: Record<string, SlotValue>; deferred: string[] }) {
  const names = Object.keys(slots).sort();
  return (
    <section aria-labelledby="slots-title">
      <h2 id="slots-title">Slots</h2>
      {names.length === 0 ? (
        <p class="muted">No slot known yet.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Slot</th>
                <th scope="col">Value</th>
                <th scope="col">Provenance</th>
              </tr>
            </thead>
            <tbody>
              {names.map((name) => {
                const slot = slots[name]!;
                return (
                  <tr key={name}>
                    <th scope="row">
                      <code>{name}</code>
                    </th>
                    <td>
                      <ValueView value={slot.value} />
                      {slot.spent && <span class="tag">spent</span>}
                    </td>
                    <td>{provenance(slot)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {deferred.length > 0 && <p>Deferred optional slots: {deferred.join(', ')}</p>}
    </section>
  );
}
