import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/ticketflow-error.js';
import { checkEncryptionKeys, parseEncryptionKeys } from './encryption-keys.js';

const bytes = Buffer.from(Array.from({ length: 32 }, (_, index) => index * 7 + 1));
const expectedId = createHash('sha256').update(bytes).digest('hex').slice(0, 8);

function configurationError(input: unknown): ConfigurationError {
  try {
    parseEncryptionKeys(input);
  } catch (error) {
    expect(ConfigurationError.isInstance(error)).toBe(true);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('parseEncryptionKeys', () => {
  it('P1 reads a 32-byte key as hex, base64, base64url, Buffer or Uint8Array, all with the same id', () => {
    const inputs = [
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase(),
      bytes.toString('base64'),
      bytes.toString('base64').replace(/=$/, ''),
      bytes.toString('base64url'),
      `  ${bytes.toString('base64')}\n`,
      bytes,
      new Uint8Array(bytes),
    ];
    for (const input of inputs) {
      const [key] = parseEncryptionKeys(input);
      expect(key?.id).toBe(expectedId);
      expect(key?.bytes.equals(bytes)).toBe(true);
    }
  });

  it('P1 derives the key id from the key: the first 8 hex characters of its SHA-256', () => {
    expect(expectedId).toMatch(/^[0-9a-f]{8}$/);
    const other = randomBytes(32);
    expect(parseEncryptionKeys([bytes, other]).map((key) => key.id)).toEqual([expectedId, createHash('sha256').update(other).digest('hex').slice(0, 8)]);
  });

  it('P1 copies the key, so a caller who wipes its buffer does not change it', () => {
    const mine = Buffer.from(bytes);
    const [key] = parseEncryptionKeys(mine);
    mine.fill(0);
    expect(key?.bytes.equals(bytes)).toBe(true);
  });

  it('P1 refuses keys of the wrong length or encoding with a ConfigurationError naming the entry', () => {
    const error = configurationError([bytes, 'too-short', randomBytes(16), 42]);
    expect(error.issues).toHaveLength(3);
    expect(error.issues[0]).toMatch(/^encryptionKey\[1\] must be 32 bytes.*string of 9 characters/);
    expect(error.issues[1]).toMatch(/^encryptionKey\[2\] must be 32 bytes.*got 16 bytes/);
    expect(error.issues[2]).toMatch(/^encryptionKey\[3\] must be 32 bytes.*got number/);
    expect(configurationError('correct horse battery staple').issues[0]).toMatch(/^encryptionKey must be 32 bytes/);
    expect(configurationError(randomBytes(48).toString('base64')).issues).toHaveLength(1);
    expect(configurationError(`${bytes.toString('hex')}00`).issues).toHaveLength(1);
    expect(configurationError('').issues[0]).toMatch(/^encryptionKey is empty/);
    expect(configurationError(undefined).issues[0]).toMatch(/got undefined/);
    expect(configurationError(null).issues[0]).toMatch(/got null/);
    expect(configurationError([]).issues[0]).toMatch(/empty list/);
  });

  it('P1 refuses a key listed twice, even in two encodings', () => {
    expect(configurationError([bytes.toString('hex'), bytes.toString('base64')]).issues[0]).toMatch(
      /^encryptionKey\[1\] has the same key id as encryptionKey\[0\]/,
    );
  });

  it('P1 O4 never puts key material in an error', () => {
    const almost = `${bytes.toString('hex').slice(0, 62)}zz`;
    const error = configurationError([almost, bytes.toString('base64').slice(0, 40)]);
    expect(error.message).not.toContain(almost);
    expect(error.message).not.toContain(bytes.toString('base64').slice(0, 40));
    expect(error.message).not.toContain(almost.slice(0, 16));
  });

  it('P1 checkEncryptionKeys lists the problems without throwing, under the option name given', () => {
    expect(checkEncryptionKeys(bytes)).toEqual([]);
    expect(checkEncryptionKeys(['nope'], 'privacy.keys')[0]).toMatch(/^privacy\.keys\[0\] must be 32 bytes/);
  });
});
