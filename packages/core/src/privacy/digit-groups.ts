import { digitValueAt, separatorClassAt, type SeparatorClass } from './characters.js';
import type { ScanMeter } from './mask-span.js';

/** A maximal run of decimal digits (of any supported script) in a text. */
export interface DigitGroup {
  start: number;
  end: number;
  /** The digits as ASCII `0`–`9`, whatever script they were written in. */
  digits: string;
}

/** Every maximal run of digits, in order. One pass over the text. */
export function findDigitGroups(text: string, meter: ScanMeter): DigitGroup[] {
  const groups: DigitGroup[] = [];
  let index = 0;
  while (index < text.length) {
    meter.steps++;
    if (digitValueAt(text, index) < 0) {
      index++;
      continue;
    }
    const start = index;
    let digits = '';
    for (let value = digitValueAt(text, index); value >= 0; value = digitValueAt(text, index)) {
      meter.steps++;
      digits += String(value);
      index++;
    }
    groups.push({ start, end: index, digits });
  }
  return groups;
}

/** The separator class when exactly one separator character lies between two groups, else null. */
export function singleSeparatorBetween(text: string, before: DigitGroup, after: DigitGroup): SeparatorClass | null {
  return after.start - before.end === 1 ? separatorClassAt(text, before.end) : null;
}

/** The last four digits of the groups `first..last`, as written in the text (`****1234`). */
export function lastFourAsWritten(text: string, groups: readonly DigitGroup[], first: number, last: number): string {
  let tail = '';
  for (let index = last; index >= first && tail.length < 4; index--) {
    const group = groups[index] as DigitGroup;
    tail = text.slice(Math.max(group.start, group.end - (4 - tail.length)), group.end) + tail;
  }
  return tail;
}
