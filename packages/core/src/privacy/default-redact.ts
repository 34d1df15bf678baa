import { findCardNumbers } from './mask-card-numbers.js';
import { findEmails } from './mask-emails.js';
import { findIbans } from './mask-ibans.js';
import { findPhoneNumbers } from './mask-phone-numbers.js';
import { replaceSpans, type ScanMeter } from './mask-span.js';

/**
 * The default of the agent option `redact` (P2): masks the personal data customers type into
 * messages before the text is stored or logged —
 *
 * | found | becomes |
 * | --- | --- |
 * | e-mail address | `***@***` |
 * | IBAN (mod-97 valid) | `DE****3000` (country code and last four) |
 * | card number (Luhn valid) | `****1111` (last four) |
 * | phone number | `***-***` |
 *
 * in that order, each detector on the output of the one before, so a digit is never masked
 * twice. Text without such data is returned unchanged (the same string); masking twice changes
 * nothing (`defaultRedact(defaultRedact(x)) === defaultRedact(x)`). It runs in time linear in the
 * length of the text, whatever the text (no regular expression scans the message), and never
 * throws. Compose it to mask more: `redact: (text) => maskOrderIds(defaultRedact(text))`.
 *
 * @example defaultRedact('I am jane@example.com, card 4111 1111 1111 1111')
 * // 'I am ***@***, card ****1111'
 */
export function defaultRedact(text: string): string {
  if (typeof text !== 'string') return text;
  return redactMeasured(text, { steps: 0 });
}

/** {@link defaultRedact}, counting its work in `meter` (for the linear-time tests). */
export function redactMeasured(text: string, meter: ScanMeter): string {
  let result = replaceSpans(text, findEmails(text, meter));
  result = replaceSpans(result, findIbans(result, meter));
  result = replaceSpans(result, findCardNumbers(result, meter));
  return replaceSpans(result, findPhoneNumbers(result, meter));
}
