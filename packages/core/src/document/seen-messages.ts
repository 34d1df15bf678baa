import { hash } from 'node:crypto';

/** Size of the filter: 2 KiB (2,732 characters of base64 in the document). */
const FILTER_BYTES = 2_048;
const FILTER_BITS = FILTER_BYTES * 8;
/** Hashes per id: about 1 % false positives up to ~1,700 remembered ids. */
const HASHES = 7;

/**
 * A Bloom filter of every `messageId` that left the document's window of recent results
 * (T7 has no window): `mayHaveSeen` never misses an id that was added; a hit must be
 * confirmed in the event log, which holds the recorded result of every processed message.
 */
export function addSeen(filter: string, messageId: string): string {
  const bits = filter === '' ? Buffer.alloc(FILTER_BYTES) : Buffer.from(filter, 'base64');
  for (const bit of positions(messageId)) bits[bit >> 3]! |= 1 << (bit & 7);
  return bits.toString('base64');
}

/** False when `messageId` was certainly never added; true when it may have been. Reads the few bytes it needs from the base64 text. */
export function mayHaveSeen(filter: string, messageId: string): boolean {
  if (filter === '') return false;
  for (const bit of positions(messageId)) if ((byteAt(filter, bit >> 3) & (1 << (bit & 7))) === 0) return false;
  return true;
}

function positions(messageId: string): number[] {
  const digest = hash('sha256', messageId, 'buffer');
  const first = digest.readUInt32BE(0);
  const second = (digest.readUInt32BE(4) | 1) >>> 0;
  const bits: number[] = [];
  for (let index = 0; index < HASHES; index += 1) bits.push((first + index * second) % FILTER_BITS);
  return bits;
}

const BASE64_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Value of each base64 digit by character code (padding and anything else: 0). */
const DIGIT_VALUES = Uint8Array.from({ length: 128 }, (_, code) => Math.max(0, BASE64_DIGITS.indexOf(String.fromCharCode(code))));

/** Byte `index` of the bytes that the base64 text `text` encodes (0 past the end). */
function byteAt(text: string, index: number): number {
  const group = (index / 3) | 0;
  const at = group * 4;
  if (at + 4 > text.length) return 0;
  const digit = (offset: number) => DIGIT_VALUES[text.charCodeAt(at + offset) & 127] ?? 0;
  const word = (digit(0) << 18) | (digit(1) << 12) | (digit(2) << 6) | digit(3);
  return (word >> (16 - 8 * (index % 3))) & 0xff;
}

/**
 * A short fingerprint of a message, to refuse the same `messageId` with another text (T7): a
 * hash of the stored (redacted, P2) text, and 16 bits of a hash of the raw text — enough to
 * tell two messages that differ only in masked personal data apart, too few to guess that
 * data back from the stored fingerprint.
 */
export function textHash(storedText: string, rawText: string = storedText): string {
  const stored = hash('sha256', storedText, 'base64url').slice(0, 12);
  const raw = hash('sha256', rawText, 'hex').slice(0, 4);
  return `${stored}.${raw}`;
}

/** Whether two fingerprints of {@link textHash} are of the same message (fingerprints of older engines have no raw part). */
export function sameText(recorded: string, incoming: string): boolean {
  if (recorded === '') return true;
  const [recordedStored, recordedRaw] = recorded.split('.');
  const [incomingStored, incomingRaw] = incoming.split('.');
  return recordedStored === incomingStored && (recordedRaw === undefined || recordedRaw === incomingRaw);
}
