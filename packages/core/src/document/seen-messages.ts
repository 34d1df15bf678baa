import { hash } from 'node:crypto';

/** Size of the first layer: 2 KiB (2,732 characters of base64 in the document). */
const FILTER_BYTES = 2_048;
/** Hashes per id: about 1 % false positives while a layer is at most half full (~1,700 ids in the first). */
const HASHES = 7;
/** A layer is full once about half its bits are set (estimated from a sample of its bytes). */
const FULL_FILL = 0.5;
/** Bytes sampled to estimate a layer's fill: spread over the whole layer. */
const SAMPLE_BYTES = 128;
/**
 * Layers at most: 2 + 4 + 8 + 16 + 32 KiB, about 52,000 ids at about 1 % false positives each.
 * Past that the last layer fills up: lookups in the log grow more frequent, the document does not.
 */
const MAX_LAYERS = 5;
/** Separates the layers in the document's text (base64 never holds it). */
const LAYER_SEPARATOR = '.';
/** The text length of the first layer: anything longer holds more layers. */
const FIRST_LAYER_LENGTH = Math.ceil(FILTER_BYTES / 3) * 4;

/**
 * The filter of a document upgraded from an engine that kept none (schema 1): which ids left
 * its window is unknown, so every id may have been seen — until the first lookup rebuilds the
 * filter from the event log ({@link addSeen} keeps it unknown meanwhile).
 */
export const UNKNOWN_SEEN = '?';

/**
 * A Bloom filter of every `messageId` that left the document's window of recent results
 * (T7 has no window): `mayHaveSeen` never misses an id that was added; a hit must be
 * confirmed in the event log, which holds the recorded result of every processed message.
 * A scalable filter: when its last layer is about half full, a layer twice its size is added
 * (the text is the layers' base64 joined by `.`), so a ticket with thousands of messageIds
 * keeps about 1 % false positives per layer instead of reading its whole log on every turn.
 */
export function addSeen(filter: string, messageId: string): string {
  if (filter === UNKNOWN_SEEN) return filter;
  // A single first layer (the usual case) is told by its length alone, without a scan of the text.
  const split = filter.length <= FIRST_LAYER_LENGTH ? -1 : filter.lastIndexOf(LAYER_SEPARATOR);
  const layers = split < 0 ? 0 : filter.split(LAYER_SEPARATOR).length - 1;
  const head = split < 0 ? '' : filter.slice(0, split + 1);
  const last = split < 0 ? filter : filter.slice(split + 1);
  const bytes = FILTER_BYTES << layers;
  const text = last.length === encodedLength(bytes) ? last : resized(last, bytes);
  const digest = hash('sha256', messageId, 'buffer');
  // The fill is checked for about one id in 16 (chosen by its hash, which no sender picks): a
  // layer overshoots half full by a few ids at most, and most turns skip the sampling.
  if (layers + 1 < MAX_LAYERS && (digest[31]! & 15) === 0 && fill(text, bytes) >= FULL_FILL)
    return `${filter}${LAYER_SEPARATOR}${setBits(emptyLayer(bytes * 2), bytes * 2, digest)}`;
  return head + setBits(text, bytes, digest);
}

/** False when `messageId` was certainly never added; true when it may have been. Reads the few bytes it needs from the base64 text. */
export function mayHaveSeen(filter: string, messageId: string): boolean {
  if (filter === '') return false;
  if (filter === UNKNOWN_SEEN) return true;
  const digest = hash('sha256', messageId, 'buffer');
  if (filter.length <= FIRST_LAYER_LENGTH) return layerHas(filter, FILTER_BYTES, digest);
  const layers = filter.split(LAYER_SEPARATOR);
  return layers.some((layer, index) => layerHas(layer, FILTER_BYTES << index, digest));
}

function layerHas(layer: string, bytes: number, digest: Buffer): boolean {
  for (const bit of positions(digest, bytes * 8)) if ((byteAt(layer, bit >> 3) & (1 << (bit & 7))) === 0) return false;
  return true;
}

/**
 * Sets the id's bits in the base64 text of one layer itself (each bit lives in one 4-character
 * group), then writes the text once: the changed groups in order, the untouched runs between them.
 */
function setBits(text: string, bytes: number, digest: Buffer): string {
  const words = new Map<number, number>();
  for (const bit of positions(digest, bytes * 8)) {
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

/** The share of set bits in a layer, estimated from {@link SAMPLE_BYTES} bytes spread over it. */
function fill(text: string, bytes: number): number {
  let set = 0;
  const step = bytes / SAMPLE_BYTES;
  for (let index = 0; index < SAMPLE_BYTES; index += 1) {
    let byte = byteAt(text, Math.floor(index * step + step / 2));
    while (byte !== 0) {
      set += byte & 1;
      byte >>= 1;
    }
  }
  return set / (SAMPLE_BYTES * 8);
}

/** The id's bits in a layer of `bits`: SHA-256 of the id, double hashing. */
function positions(digest: Buffer, bits: number): number[] {
  const first = digest.readUInt32BE(0);
  const second = (digest.readUInt32BE(4) | 1) >>> 0;
  const result: number[] = [];
  for (let index = 0; index < HASHES; index += 1) result.push((first + index * second) % bits);
  return result;
}

const BASE64_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Value of each base64 digit by character code (padding and anything else: 0). */
const DIGIT_VALUES = Uint8Array.from({ length: 128 }, (_, code) => Math.max(0, BASE64_DIGITS.indexOf(String.fromCharCode(code))));

/** A layer's text of another length (empty, or damaged) as a layer of `bytes`: its bytes kept, zeros after. */
function resized(layer: string, bytes: number): string {
  const bits = Buffer.alloc(bytes);
  Buffer.from(layer, 'base64').copy(bits, 0, 0, bytes);
  return bits.toString('base64');
}

const emptyLayers = new Map<number, string>();

/** The text of an empty layer of `bytes`. */
function emptyLayer(bytes: number): string {
  let text = emptyLayers.get(bytes);
  if (text === undefined) {
    text = Buffer.alloc(bytes).toString('base64');
    emptyLayers.set(bytes, text);
  }
  return text;
}

function encodedLength(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

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

/** The fingerprint of a stored text whose raw text is unknown (an event of an older engine): its stored part only. */
export function storedTextHash(storedText: string): string {
  return hash('sha256', storedText, 'buffer').toString('base64url').slice(0, 12);
}

/** Whether two fingerprints of {@link textHash} are of the same message (fingerprints of older engines have no raw part). */
export function sameText(recorded: string, incoming: string): boolean {
  if (recorded === '') return true;
  const [recordedStored, recordedRaw] = recorded.split('.');
  const [incomingStored, incomingRaw] = incoming.split('.');
  return recordedStored === incomingStored && (recordedRaw === undefined || recordedRaw === incomingRaw);
}
