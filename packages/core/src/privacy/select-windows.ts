import type { DigitGroup } from './digit-groups.js';
import type { ScanMeter } from './mask-span.js';

/** A run of consecutive digit groups chosen for masking: groups `first..last`. */
export interface GroupWindow {
  first: number;
  last: number;
}

/**
 * Chooses non-overlapping windows of digit groups that cover the most digits, given for each
 * group the ends of the valid windows that start there (at most a few dozen: windows are
 * bounded by a digit count). When several choices cover as many digits, the longest window
 * starting earliest wins. Dynamic programming from right to left: linear in the number of
 * groups times the bound, so a hostile text cannot make it slow. Because the choice is
 * optimal, masking the chosen windows leaves no valid window behind — masking twice changes
 * nothing.
 */
export function selectWindows(groups: readonly DigitGroup[], validEnds: (first: number) => readonly number[], meter: ScanMeter): GroupWindow[] {
  const count = groups.length;
  const prefixDigits = new Array<number>(count + 1).fill(0);
  for (let index = 0; index < count; index++) prefixDigits[index + 1] = (prefixDigits[index] as number) + (groups[index] as DigitGroup).digits.length;
  const best = new Array<number>(count + 1).fill(0);
  const choice = new Array<number>(count).fill(-1);
  for (let first = count - 1; first >= 0; first--) {
    const skip = best[first + 1] as number;
    let bestTake = -1;
    for (const last of validEnds(first)) {
      meter.steps++;
      const take = (prefixDigits[last + 1] as number) - (prefixDigits[first] as number) + (best[last + 1] as number);
      if (take > bestTake || (take === bestTake && last > (choice[first] as number))) {
        bestTake = take;
        choice[first] = last;
      }
    }
    if (bestTake >= skip) best[first] = bestTake;
    else {
      best[first] = skip;
      choice[first] = -1;
    }
  }
  const windows: GroupWindow[] = [];
  for (let first = 0; first < count;) {
    const last = choice[first] as number;
    if (last >= 0) {
      windows.push({ first, last });
      first = last + 1;
    } else {
      first++;
    }
  }
  return windows;
}
