/** A part of a text to replace by a mask. */
export interface MaskSpan {
  /** Index of the first replaced UTF-16 code unit. */
  start: number;
  /** Index after the last replaced code unit. */
  end: number;
  /** What the part becomes, e.g. `****1234`. */
  replacement: string;
}

/**
 * Counts the work a detector does, so tests can check that it grows linearly with the input
 * (deterministically, without a clock).
 */
export interface ScanMeter {
  steps: number;
}

/** Applies spans sorted by `start` that do not overlap. */
export function replaceSpans(text: string, spans: readonly MaskSpan[]): string {
  if (spans.length === 0) return text;
  const parts: string[] = [];
  let position = 0;
  for (const span of spans) {
    parts.push(text.slice(position, span.start), span.replacement);
    position = span.end;
  }
  parts.push(text.slice(position));
  return parts.join('');
}
