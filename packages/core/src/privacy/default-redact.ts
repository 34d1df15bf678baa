import { digitValueAt } from './characters.js';
import { findCardNumbers, MIN_CARD_DIGITS } from './mask-card-numbers.js';
import { findEmails } from './mask-emails.js';
import { findIbans, MIN_IBAN_DIGITS } from './mask-ibans.js';
import { findPhoneNumbers, MIN_PHONE_DIGITS } from './mask-phone-numbers.js';
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

/**
 * {@link defaultRedact}, counting its work in `meter` (for the linear-time tests). A detector
 * runs only when the text holds what it needs: an `@` for e-mail addresses, and as many digits
 * as the shortest IBAN, card or phone number has. The text's digit count bounds every later
 * detector's input too: a mask never adds a digit (it keeps at most the last four it replaced).
 * Most replies and many messages hold neither, and skip every scan.
 */
export function redactMeasured(text: string, meter: ScanMeter): string {
  const digits = countDigits(text, meter);
  let result = text.includes('@') ? replaceSpans(text, findEmails(text, meter)) : text;
  if (digits >= MIN_IBAN_DIGITS) result = replaceSpans(result, findIbans(result, meter));
  if (digits >= MIN_CARD_DIGITS) result = replaceSpans(result, findCardNumbers(result, meter));
  if (digits >= MIN_PHONE_DIGITS) result = replaceSpans(result, findPhoneNumbers(result, meter));
  return result;
}

/** Decimal digits of any supported script in `text`, up to the most any detector needs. */
function countDigits(text: string, meter: ScanMeter): number {
  const enough = Math.max(MIN_IBAN_DIGITS, MIN_CARD_DIGITS, MIN_PHONE_DIGITS);
  let digits = 0;
  for (let index = 0; index < text.length && digits < enough; index++) {
    meter.steps++;
    if (digitValueAt(text, index) >= 0) digits++;
  }
  return digits;
}
