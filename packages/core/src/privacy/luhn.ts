/**
 * True when `digits` (ASCII `0`–`9` only, at least two) passes the Luhn check used by
 * payment card numbers (ISO/IEC 7812). Any other character makes it false; never throws.
 *
 * @example isLuhnValid('4111111111111111') // true
 */
export function isLuhnValid(digits: string): boolean {
  if (typeof digits !== 'string' || digits.length < 2) return false;
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    const code = digits.charCodeAt(index) - 0x30;
    if (code < 0 || code > 9) return false;
    let value = double ? code * 2 : code;
    if (value > 9) value -= 9;
    sum += value;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Luhn sums of a digit string that grows to the right, so each longer prefix is checked in
 * constant time: `sums[p]` doubles the digits at even (p = 0) or odd (p = 1) positions.
 */
export class LuhnAccumulator {
  private readonly sums = [0, 0];
  private length = 0;

  /** Appends ASCII digits. */
  append(digits: string): void {
    for (let index = 0; index < digits.length; index++) {
      const value = digits.charCodeAt(index) - 0x30;
      const doubled = value * 2 > 9 ? value * 2 - 9 : value * 2;
      const even = this.length % 2 === 0;
      this.sums[0] = (this.sums[0] as number) + (even ? doubled : value);
      this.sums[1] = (this.sums[1] as number) + (even ? value : doubled);
      this.length++;
    }
  }

  /** The number of digits appended. */
  get digitCount(): number {
    return this.length;
  }

  /** True when the digits appended so far pass the Luhn check. */
  isValid(): boolean {
    if (this.length < 2) return false;
    // The rightmost digit is never doubled: doubled positions have the other parity than it.
    const sum = (this.length - 1) % 2 === 0 ? this.sums[1] : this.sums[0];
    return (sum as number) % 10 === 0;
  }
}
