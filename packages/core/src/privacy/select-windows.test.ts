import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DigitGroup } from './digit-groups.js';
import { selectWindows, type GroupWindow } from './select-windows.js';

function groupsOf(sizes: readonly number[]): DigitGroup[] {
  let start = 0;
  return sizes.map((size) => {
    const group = { start, end: start + size, digits: '1'.repeat(size) };
    start += size + 1;
    return group;
  });
}

function covered(groups: readonly DigitGroup[], windows: readonly GroupWindow[]): number {
  return windows.reduce((sum, window) => sum + groups.slice(window.first, window.last + 1).reduce((total, group) => total + group.digits.length, 0), 0);
}

describe('selectWindows', () => {
  it('P2 prefers two numbers over one longer reading that leaves the second half unmasked', () => {
    const groups = groupsOf([2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    const valid: Record<number, number[]> = { 0: [4, 5], 5: [9] };
    expect(selectWindows(groups, (first) => valid[first] ?? [], { steps: 0 })).toEqual([
      { first: 0, last: 4 },
      { first: 5, last: 9 },
    ]);
  });

  it('P2 takes the longest window starting earliest when the coverage ties', () => {
    const groups = groupsOf([4, 4, 4, 4, 4]);
    const valid: Record<number, number[]> = { 0: [3], 1: [4] };
    expect(selectWindows(groups, (first) => valid[first] ?? [], { steps: 0 })).toEqual([{ first: 0, last: 3 }]);
  });

  it('P2 chooses non-overlapping windows covering the most digits, leaving no valid window unchosen', () => {
    const input = fc
      .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 12 })
      .chain((sizes) =>
        fc.tuple(
          fc.constant(sizes),
          fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }), { minLength: sizes.length, maxLength: sizes.length }),
        ),
      );
    fc.assert(
      fc.property(input, ([sizes, offsets]) => {
        const groups = groupsOf(sizes);
        const validEnds = (first: number) => [...new Set((offsets[first] ?? []).map((offset) => first + offset).filter((last) => last < groups.length))];
        const windows = selectWindows(groups, validEnds, { steps: 0 });
        for (let index = 1; index < windows.length; index++)
          expect((windows[index] as GroupWindow).first).toBeGreaterThan((windows[index - 1] as GroupWindow).last);
        for (const window of windows) expect(validEnds(window.first)).toContain(window.last);
        const best = (from: number): number => {
          if (from >= groups.length) return 0;
          return Math.max(best(from + 1), ...validEnds(from).map((last) => covered(groups, [{ first: from, last }]) + best(last + 1)));
        };
        expect(covered(groups, windows)).toBe(best(0));
      }),
      { numRuns: 500 },
    );
  });
});
