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
  const text = filter.length === EMPTY_FILTER.length ? filter : resized(filter);
  // Sets the bits in the base64 text itself (each bit lives in one 4-character group), then
  // writes the text once: the changed groups in order, the untouched runs between them.
  const words = new Map<number, number>();
  for (const bit of positions(messageId)) {
    const byte = bit >> 3;
    const at = ((byte / 3) | 0) * 4;
    words.set(at, (words.get(at) ?? groupAt(text, at)) | (1 << (8 * (2 - (byte % 3)) + (bit & 7))));
  }
  const offsets = [...words.keys()].sort((a, b) => a - b);
  let result = '';
  let copied = 0;
  for (const at of offsets) {
    result += text.slice(copied, at) + encodeGroup(words.get(at)!, text.slice(at + 2, at + 4));
    copied = at + 4;
  }
  return result + text.slice(copied);
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

/** A filter text of another length (empty, or damaged) as a filter of the current size: its bytes kept, zeros after. */
function resized(filter: string): string {
  const bits = Buffer.alloc(FILTER_BYTES);
  Buffer.from(filter, 'base64').copy(bits, 0, 0, FILTER_BYTES);
  return bits.toString('base64');
}

/** The empty filter's text. */
const EMPTY_FILTER = Buffer.alloc(FILTER_BYTES).toString('base64');

/** Byte `index` of the bytes that the base64 text `text` encodes (0 past the end). */
function byteAt(text: string, index: number): number {
  const at = ((index / 3) | 0) * 4;
  if (at + 4 > text.length) return 0;
  return (groupAt(text, at) >> (16 - 8 * (index % 3))) & 0xff;
}

/** The 24 bits of the 4-character group at `at` (padding reads as zero bits). */
function groupAt(text: string, at: number): number {
  return (
    (digitValue(text.charCodeAt(at)) << 18) |
    (digitValue(text.charCodeAt(at + 1)) << 12) |
    (digitValue(text.charCodeAt(at + 2)) << 6) |
    digitValue(text.charCodeAt(at + 3))
  );
}

function digitValue(code: number): number {
  return DIGIT_VALUES[code & 127]!;
}

/**
 * A 4-character group for 24 bits. `tail` is the group's old last two characters: a padding
 * `=` stays (the last group of 2,048 bytes holds two bytes and one `=`), so the text remains
 * what `Buffer.toString('base64')` writes.
 */
function encodeGroup(word: number, tail: string): string {
  return (
    BASE64_DIGITS[(word >> 18) & 63]! +
    BASE64_DIGITS[(word >> 12) & 63]! +
    (tail[0] === '=' ? '=' : BASE64_DIGITS[(word >> 6) & 63]!) +
    (tail[1] === '=' ? '=' : BASE64_DIGITS[word & 63]!)
  );
}

/**
 * A short fingerprint of a message, to refuse the same `messageId` with another text (T7): a
 * hash of the stored (redacted, P2) text, and 16 bits of a hash of the raw text — enough to
 * tell two messages that differ only in masked personal data apart, too few to guess that
 * data back from the stored fingerprint.
 */
export function textHash(storedText: string, rawText: string = storedText): string {
  const digest = hash('sha256', storedText, 'buffer');
  // Nothing was redacted (the common case): the raw text's hash is the same digest.
  const raw = rawText === storedText ? digest : hash('sha256', rawText, 'buffer');
  return `${digest.toString('base64url').slice(0, 12)}.${raw.toString('hex', 0, 2)}`;
}

/** Whether two fingerprints of {@link textHash} are of the same message (fingerprints of older engines have no raw part). */
export function sameText(recorded: string, incoming: string): boolean {
  if (recorded === '') return true;
  const [recordedStored, recordedRaw] = recorded.split('.');
  const [incomingStored, incomingRaw] = incoming.split('.');
  return recordedStored === incomingStored && (recordedRaw === undefined || recordedRaw === incomingRaw);
}
