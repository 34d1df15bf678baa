import { describe, expect, it } from 'vitest';
import { readExpiredClaims, readIndexRanges } from './read-index.js';
import type { IndexRange } from './read-index.js';
import { LIST_SCRIPT_BUDGET } from './redis-scripts.js';

const budget = String(LIST_SCRIPT_BUDGET);

function entry(id: string, updatedAt: string, version = 1): string[] {
  return [`${updatedAt} ${id}`, JSON.stringify([version, 'open', 'open', updatedAt, '', Date.parse(updatedAt)])];
}

/** A list script that answers the given replies in turn and records its arguments. */
function scripted(replies: unknown[]) {
  const calls: string[][] = [];
  const read = async (argumentsOf: string[]) => {
    calls.push(argumentsOf);
    return replies[calls.length - 1];
  };
  return { read, calls };
}

describe('readIndexRanges', () => {
  it('calls the script again from where it stopped until the range yielded what it wants', async () => {
    const { read, calls } = scripted([
      [['(2026-01-01T00:00:01.000Z A', '2', '0', ...entry('A', '2026-01-01T00:00:01.000Z')]],
      [['(2026-01-01T00:00:03.000Z C', '0', '0', ...entry('B', '2026-01-01T00:00:02.000Z'), ...entry('C', '2026-01-01T00:00:03.000Z')]],
    ]);
    const range: IndexRange = { min: '-', max: '+', wanted: 3, ended: false };
    const tickets = await readIndexRanges(read, 'updated', [range]);
    expect(tickets.map((ticket) => ticket.ticketId)).toEqual(['A', 'B', 'C']);
    expect(calls).toEqual([
      ['updated', budget, '-', '+', '3'],
      ['updated', budget, '(2026-01-01T00:00:01.000Z A', '+', '2'],
    ]);
    expect(range).toEqual({ min: '(2026-01-01T00:00:03.000Z C', max: '+', wanted: 0, ended: false });
  });

  it('returns a ticket read twice (it moved between two calls) once, its later copy, and reads one more in its stead', async () => {
    const { read, calls } = scripted([
      [['(2026-01-01T00:00:01.000Z A', '1', '0', ...entry('A', '2026-01-01T00:00:01.000Z')]],
      [['(2026-01-01T00:00:05.000Z A', '0', '0', ...entry('A', '2026-01-01T00:00:05.000Z', 2)]],
      [['(2026-01-01T00:00:06.000Z B', '0', '1', ...entry('B', '2026-01-01T00:00:06.000Z')]],
    ]);
    const tickets = await readIndexRanges(read, 'updated', [{ min: '-', max: '+', wanted: 2, ended: false }]);
    expect(tickets.map((ticket) => [ticket.ticketId, ticket.version])).toEqual([
      ['A', 2],
      ['B', 1],
    ]);
    expect(calls[2]).toEqual(['updated', budget, '(2026-01-01T00:00:05.000Z A', '+', '1']);
  });

  it('asks only the ranges that still want tickets', async () => {
    const { read, calls } = scripted([
      [
        ['(open 2026-01-01T00:00:01.000Z A', '0', '0', 'open 2026-01-01T00:00:01.000Z A', entry('A', '2026-01-01T00:00:01.000Z')[1]],
        ['(done 2026-01-01T00:00:00.000Z X', '1', '0'],
      ],
      [['(done 2026-01-01T00:00:02.000Z Z', '0', '1', 'done 2026-01-01T00:00:02.000Z Z', entry('Z', '2026-01-01T00:00:02.000Z')[1]]],
    ]);
    const tickets = await readIndexRanges(read, 'status', [
      { min: '[open ', max: '(open!', wanted: 1, ended: false },
      { min: '[done ', max: '(done!', wanted: 1, ended: false },
    ]);
    expect(tickets.map((ticket) => ticket.ticketId)).toEqual(['A', 'Z']);
    expect(calls[1]).toEqual(['status', budget, '(done 2026-01-01T00:00:00.000Z X', '(done!', '1']);
  });
});

describe('readExpiredClaims', () => {
  it('goes on after the last claim returned and returns each ticket once', async () => {
    const { read, calls } = scripted([
      [['2026-01-01T00:00:01.000Z A', '7', '0', ...entry('A', '2026-01-01T00:00:01.000Z')]],
      [['2026-01-01T00:00:02.000Z B', '7', '1', ...entry('A', '2026-01-01T00:00:01.000Z'), ...entry('B', '2026-01-01T00:00:02.000Z')]],
    ]);
    const tickets = await readExpiredClaims(read, 100);
    expect(tickets.map((ticket) => ticket.ticketId)).toEqual(['A', 'B']);
    expect(calls).toEqual([
      ['claims', budget, '100', '', ''],
      ['claims', budget, '100', '2026-01-01T00:00:01.000Z A', '7'],
    ]);
  });
});
