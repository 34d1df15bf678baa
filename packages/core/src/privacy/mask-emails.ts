import { characterAt, characterBefore, isWordCharacter } from './characters.js';
import { replaceSpans, type MaskSpan, type ScanMeter } from './mask-span.js';

/** What an e-mail address becomes: nothing of the person, nothing of the domain. */
export const EMAIL_MASK = '***@***';

const LOCAL_PUNCTUATION = new Set(['.', '_', '%', '+', '-']);

/**
 * Masks e-mail addresses in free text, including internationalised ones (`josé@exämple.de`,
 * `用户@例子.广告`): a local part of letters, digits and `._%+-`, an `@`, and a domain of at
 * least two labels ending in a top-level domain of letters (or `xn--…`). Each becomes
 * `***@***` — neither the person nor the domain (a small company's domain identifies
 * people too). `user@localhost` and `@mentions` stay. Linear in the length of the text;
 * never throws.
 *
 * @example maskEmails('write to jane.doe+tickets@example.co.uk!') // 'write to ***@***!'
 */
export function maskEmails(text: string): string {
  if (typeof text !== 'string') return text;
  return replaceSpans(text, findEmails(text));
}

/** The spans {@link maskEmails} replaces, in order. */
export function findEmails(text: string, meter: ScanMeter = { steps: 0 }): MaskSpan[] {
  const spans: MaskSpan[] = [];
  let searchFrom = 0;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', searchFrom)) {
    meter.steps++;
    searchFrom = at + 1;
    const start = localPartStart(text, at, spans.at(-1)?.end ?? 0, meter);
    if (start < 0) continue;
    const end = domainEnd(text, at + 1, meter);
    if (end < 0) continue;
    spans.push({ start, end, replacement: EMAIL_MASK });
    searchFrom = end;
  }
  return spans;
}

function isLocalCharacter(character: string | undefined): boolean {
  return character !== undefined && (isWordCharacter(character) || LOCAL_PUNCTUATION.has(character));
}

/**
 * Start of the local part ending at `at`, or -1 when there is none. Reads back to the previous
 * `@` at most, and never before `floor` (the end of the address masked before it).
 */
function localPartStart(text: string, at: number, floor: number, meter: ScanMeter): number {
  let start = at;
  for (let character = characterBefore(text, start); start > floor && isLocalCharacter(character); character = characterBefore(text, start)) {
    meter.steps++;
    start -= (character as string).length;
  }
  while (start < at && text[start] === '.') start++;
  let hasWordCharacter = false;
  for (let index = start; index < at && !hasWordCharacter; index++) hasWordCharacter = isWordCharacter(text[index]);
  return hasWordCharacter ? start : -1;
}

/** End of the longest valid domain starting at `from`, or -1. */
function domainEnd(text: string, from: number, meter: ScanMeter): number {
  let end = -1;
  let labelStart = from;
  let labels = 0;
  let index = from;
  for (;;) {
    meter.steps++;
    const character = characterAt(text, index);
    if (character !== undefined && (isWordCharacter(character) || character === '-')) {
      index += character.length;
      continue;
    }
    const label = text.slice(labelStart, index);
    // A label running into `*` is the start of a mask (`AD****0000`), not a top-level domain.
    if (!isValidLabel(label) || character === '*') return end;
    labels++;
    if (labels >= 2 && isTopLevelDomain(label)) end = index;
    if (character !== '.') return end;
    index++;
    labelStart = index;
  }
}

function isValidLabel(label: string): boolean {
  return label.length > 0 && label.length <= 63 && !label.startsWith('-') && !label.endsWith('-');
}

function isTopLevelDomain(label: string): boolean {
  if (/^xn--[a-z0-9-]+$/i.test(label)) return true;
  return label.length >= 2 && /^\p{L}+$/u.test(label);
}
