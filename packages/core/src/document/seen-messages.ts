import { createHash } from 'node:crypto';

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

/** False when `messageId` was certainly never added; true when it may have been. */
export function mayHaveSeen(filter: string, messageId: string): boolean {
  if (filter === '') return false;
  const bits = Buffer.from(filter, 'base64');
  return positions(messageId).every((bit) => ((bits[bit >> 3] ?? 0) & (1 << (bit & 7))) !== 0);
}

function positions(messageId: string): number[] {
  const digest = createHash('sha256').update(messageId, 'utf8').digest();
  const first = digest.readUInt32BE(0);
  const second = (digest.readUInt32BE(4) | 1) >>> 0;
  return Array.from({ length: HASHES }, (_, index) => (first + index * second) % FILTER_BITS);
}

/**
 * A short fingerprint of a message, to refuse the same `messageId` with another text (T7): a
 * hash of the stored (redacted, P2) text, and 16 bits of a hash of the raw text — enough to
 * tell two messages that differ only in masked personal data apart, too few to guess that
 * data back from the stored fingerprint.
 */
export function textHash(storedText: string, rawText: string = storedText): string {
  const stored = createHash('sha256').update(storedText, 'utf8').digest('base64url').slice(0, 12);
  const raw = createHash('sha256').update(rawText, 'utf8').digest('hex').slice(0, 4);
  return `${stored}.${raw}`;
}

/** Whether two fingerprints of {@link textHash} are of the same message (fingerprints of older engines have no raw part). */
export function sameText(recorded: string, incoming: string): boolean {
  if (recorded === '') return true;
  const [recordedStored, recordedRaw] = recorded.split('.');
  const [incomingStored, incomingRaw] = incoming.split('.');
  return recordedStored === incomingStored && (recordedRaw === undefined || recordedRaw === incomingRaw);
}
