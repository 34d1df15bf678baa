import { createHash } from 'node:crypto';
import { ConfigurationError } from '../errors/ticketflow-error.js';

/**
 * One AES-256 key: 32 random bytes, as 64 hex characters, as base64 (44 characters) or
 * base64url (43 characters), or as a 32-byte `Buffer`/`Uint8Array`. Generate one with
 * `openssl rand -base64 32` or
 * `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64'))"`.
 */
export type EncryptionKeyInput = string | Uint8Array;

/** A parsed key and its id. */
export interface EncryptionKey {
  /** First 8 hex characters of the SHA-256 of the 32 key bytes. */
  readonly id: string;
  readonly bytes: Buffer;
}

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=?$/;
const BASE64URL = /^[A-Za-z0-9_-]{43}=?$/;

/**
 * The problems with an `encryptionKey` option, one sentence each naming the entry
 * (`encryptionKey[1]: …`); an empty list when it is usable. Never quotes key material.
 */
export function checkEncryptionKeys(input: unknown, optionName = 'encryptionKey'): string[] {
  return readEncryptionKeys(input, optionName).issues;
}

/**
 * Parses an `encryptionKey` option: one key, or a list for rotation (the first encrypts,
 * all decrypt).
 *
 * @throws {ConfigurationError} listing every entry of the wrong length or encoding, and
 *   duplicate keys. The message never contains key material.
 */
export function parseEncryptionKeys(input: unknown, optionName = 'encryptionKey'): EncryptionKey[] {
  const { keys, issues } = readEncryptionKeys(input, optionName);
  if (issues.length > 0) throw new ConfigurationError({ message: `Invalid ${optionName}`, issues });
  return keys;
}

function readEncryptionKeys(input: unknown, optionName: string): { keys: EncryptionKey[]; issues: string[] } {
  const list = Array.isArray(input) ? (input as unknown[]) : [input];
  if (Array.isArray(input) && list.length === 0) return { keys: [], issues: [`${optionName} is an empty list: give at least one key (the first encrypts)`] };
  const keys: EncryptionKey[] = [];
  const issues: string[] = [];
  list.forEach((entry, index) => {
    const name = Array.isArray(input) ? `${optionName}[${index}]` : optionName;
    const parsed = decodeKey(entry);
    if (typeof parsed === 'string') {
      issues.push(`${name} ${parsed}`);
      return;
    }
    const id = createHash('sha256').update(parsed).digest('hex').slice(0, 8);
    const same = keys.findIndex((key) => key.id === id);
    if (same >= 0) issues.push(`${name} has the same key id as ${optionName}[${same}] (${id}): list each key once`);
    keys.push({ id, bytes: parsed });
  });
  return { keys, issues };
}

/** The 32 key bytes (a copy), or the reason the entry is not a key. */
function decodeKey(entry: unknown): Buffer | string {
  const expected = 'must be 32 bytes: 64 hex characters, 44 base64 or 43 base64url characters, or a 32-byte Buffer/Uint8Array';
  if (entry instanceof Uint8Array) {
    return entry.byteLength === 32 ? Buffer.from(entry) : `${expected} (got ${entry.byteLength} bytes)`;
  }
  if (typeof entry !== 'string') return `${expected} (got ${entry === null ? 'null' : typeof entry})`;
  const text = entry.trim();
  if (text.length === 0) return `is empty: ${expected}`;
  let bytes: Buffer | undefined;
  if (HEX.test(text)) bytes = Buffer.from(text, 'hex');
  else if (BASE64.test(text)) bytes = Buffer.from(text, 'base64');
  else if (BASE64URL.test(text)) bytes = Buffer.from(text, 'base64url');
  if (bytes?.length === 32) return bytes;
  return `${expected} (got a string of ${text.length} characters that is not one of these)`;
}
