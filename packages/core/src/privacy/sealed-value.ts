/** Version prefix of the sealed format; a new format would be `tf2`. */
export const SEALED_PREFIX = 'tf1';

// tf1.<keyId: 8 hex>.<iv: 12 bytes>.<tag: 16 bytes>.<ciphertext>, base64url without padding.
const SEALED = /^tf1\.([0-9a-f]{8})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]+)$/;

/** The parts of a sealed value. */
export interface SealedParts {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/**
 * True when `value` is a slot value sealed by a slot cipher
 * (`tf1.<keyId>.<iv>.<tag>.<ciphertext>`), false for anything else — including the clear
 * value of a slot. Never throws.
 */
export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && SEALED.test(value);
}

/**
 * The id of the key that sealed `value` (8 hex characters), or null when it is not sealed.
 * Lets a rotation job find the values still sealed with an old key.
 */
export function sealedKeyId(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return SEALED.exec(value)?.[1] ?? null;
}

/** Splits a sealed value, or returns undefined when it is not one. */
export function parseSealed(value: unknown): SealedParts | undefined {
  if (typeof value !== 'string') return undefined;
  const match = SEALED.exec(value);
  if (match === null) return undefined;
  const [, keyId, iv, tag, ciphertext] = match as unknown as [string, string, string, string, string];
  const parts = { keyId, iv: Buffer.from(iv, 'base64url'), tag: Buffer.from(tag, 'base64url'), ciphertext: Buffer.from(ciphertext, 'base64url') };
  // Base64 can spell the same bytes several ways (unused low bits in the last character);
  // only the canonical spelling is accepted, so a sealed value cannot be altered unnoticed.
  return formatSealed(parts) === value ? parts : undefined;
}

/** Joins the parts of a sealed value. */
export function formatSealed(parts: SealedParts): string {
  return [SEALED_PREFIX, parts.keyId, parts.iv.toString('base64url'), parts.tag.toString('base64url'), parts.ciphertext.toString('base64url')].join('.');
}
