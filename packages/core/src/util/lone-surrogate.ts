/**
 * A UTF-16 surrogate without its pair: text that is not well-formed Unicode, which JSON
 * stores only as an escape and databases refuse or replace. One definition for every check.
 */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every lone surrogate of a text (for `replace`). */
export const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** Whether `text` holds a lone surrogate. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}
