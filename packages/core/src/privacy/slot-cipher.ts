import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { InvalidArgumentError } from '../errors/ticketflow-error.js';
import { parseEncryptionKeys, type EncryptionKey, type EncryptionKeyInput } from './encryption-keys.js';
import { formatSealed, parseSealed, SEALED_PREFIX } from './sealed-value.js';
import { SlotDecryptionError } from './slot-decryption-error.js';

/** What a sealed value is bound to: it opens only for the same ticket and slot. */
export interface SlotCipherContext {
  ticketId: string;
  slot: string;
}

/**
 * Encrypts and decrypts the values of `sensitive: true` slots (P1) with AES-256-GCM.
 *
 * ## Sealed format
 * One JSON-safe string, `tf1.<keyId>.<iv>.<tag>.<ciphertext>`: the format version, the id of
 * the key that sealed it (8 hex characters), a random 12-byte IV, the 16-byte GCM tag and the
 * ciphertext of the value's JSON, each base64url without padding. The associated data is the
 * format version, the key id, the ticket id and the slot name, so a value copied to another
 * ticket or slot, or altered in any way, does not decrypt.
 *
 * ## Key rotation
 * Keys are given newest first: the first key seals every new value, every key opens the values
 * it sealed (the key id in each value says which). To rotate:
 * 1. generate a new key and put it **first**: `encryptionKey: [newKey, oldKey]`, on every
 *    process (a process that lacks the new key cannot read what the others write);
 * 2. keep the old key until no stored value uses it: every ticket rewritten (a value is
 *    re-sealed with the new key when its ticket is next written — see
 *    {@link SlotCipher.needsReencryption}) or purged by retention;
 * 3. then remove it. A value whose key is gone fails with {@link SlotDecryptionError}
 *    `unknown_key`.
 *
 * With random 96-bit IVs, one key should seal at most about 2³² values (NIST SP 800-38D);
 * rotate long before.
 */
export interface SlotCipher {
  /** The ids of the configured keys, the encrypting key first. */
  readonly keyIds: readonly string[];
  /** Seals a JSON value for one slot of one ticket. @throws {InvalidArgumentError} when the value is not JSON or the context is incomplete. */
  encrypt(value: unknown, context: SlotCipherContext): string;
  /** Opens a sealed value: the value as `JSON.parse(JSON.stringify(value))`. @throws {SlotDecryptionError} */
  decrypt(sealed: string, context: SlotCipherContext): unknown;
  /** True when `sealed` was sealed with a key other than the first (re-seal it on the next write). */
  needsReencryption(sealed: string): boolean;
}

/**
 * Builds a slot cipher from the app's `encryptionKey`: one key, or a list for rotation
 * (newest first). See {@link SlotCipher} for the sealed format and key rotation.
 *
 * @throws {ConfigurationError} when a key has the wrong length or encoding (naming the entry,
 *   never the key), when the list is empty, or when a key is listed twice.
 *
 * @example
 * const cipher = createSlotCipher(process.env.TICKETFLOW_KEY);
 * const sealed = cipher.encrypt('4111 1111 1111 1111', { ticketId: 'T-1', slot: 'card_number' });
 * cipher.decrypt(sealed, { ticketId: 'T-1', slot: 'card_number' }); // '4111 1111 1111 1111'
 */
export function createSlotCipher(keys: EncryptionKeyInput | readonly EncryptionKeyInput[]): SlotCipher {
  const parsed = parseEncryptionKeys(keys);
  const current = parsed[0] as EncryptionKey;
  const byId = new Map(parsed.map((key) => [key.id, key.bytes]));
  return Object.freeze({
    keyIds: Object.freeze(parsed.map((key) => key.id)),
    encrypt: (value: unknown, context: SlotCipherContext) => seal(current, value, checkContext(context)),
    decrypt: (sealed: string, context: SlotCipherContext) => open(byId, sealed, checkContext(context)),
    needsReencryption: (sealed: string) => parseSealed(sealed)?.keyId !== current.id,
  });
}

function seal(key: EncryptionKey, value: unknown, context: SlotCipherContext): string {
  const plaintext = toJson(value, context.slot);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv, { authTagLength: 16 });
  cipher.setAAD(associatedData(key.id, context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return formatSealed({ keyId: key.id, iv, tag: cipher.getAuthTag(), ciphertext });
}

function open(keys: ReadonlyMap<string, Buffer>, sealed: string, context: SlotCipherContext): unknown {
  const parts = parseSealed(sealed);
  if (parts === undefined) throw new SlotDecryptionError({ reason: 'malformed', slot: context.slot });
  const key = keys.get(parts.keyId);
  if (key === undefined) throw new SlotDecryptionError({ reason: 'unknown_key', slot: context.slot, keyId: parts.keyId });
  let plaintext: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, parts.iv, { authTagLength: 16 });
    decipher.setAAD(associatedData(parts.keyId, context));
    decipher.setAuthTag(parts.tag);
    plaintext = Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SlotDecryptionError({ reason: 'authentication_failed', slot: context.slot, keyId: parts.keyId });
  }
  try {
    return JSON.parse(plaintext) as unknown;
  } catch {
    throw new SlotDecryptionError({ reason: 'malformed', slot: context.slot, keyId: parts.keyId });
  }
}

function associatedData(keyId: string, context: SlotCipherContext): Buffer {
  return Buffer.from(JSON.stringify([SEALED_PREFIX, keyId, context.ticketId, context.slot]), 'utf8');
}

function toJson(value: unknown, slot: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) {
    throw new InvalidArgumentError({
      argument: 'value',
      message: `the value of sensitive slot ${JSON.stringify(slot)} must be a JSON value (got ${value === undefined ? 'undefined' : typeof value} that JSON cannot hold)`,
    });
  }
  return json;
}

function checkContext(context: SlotCipherContext): SlotCipherContext {
  if (typeof context !== 'object' || context === null) {
    throw new InvalidArgumentError({ argument: 'context', message: 'give { ticketId, slot }: a sealed value is bound to its ticket and slot' });
  }
  for (const field of ['ticketId', 'slot'] as const) {
    const value = context[field];
    if (typeof value !== 'string' || value.length === 0) {
      throw new InvalidArgumentError({ argument: `context.${field}`, message: `must be a non-empty string (got ${value === null ? 'null' : typeof value})` });
    }
  }
  return { ticketId: context.ticketId, slot: context.slot };
}
