import { createCipheriv, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, TicketflowError } from '../errors/ticketflow-error.js';
import { isSealed, sealedKeyId } from './sealed-value.js';
import { createSlotCipher, type SlotCipher, type SlotCipherContext } from './slot-cipher.js';
import { SlotDecryptionError, type SlotDecryptionFailure } from './slot-decryption-error.js';

const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const context: SlotCipherContext = { ticketId: 'T-1', slot: 'card_number' };

function decryptionFailure(cipher: SlotCipher, sealed: string, where: SlotCipherContext = context): SlotDecryptionError {
  try {
    cipher.decrypt(sealed, where);
  } catch (error) {
    expect(SlotDecryptionError.isInstance(error)).toBe(true);
    return error as SlotDecryptionError;
  }
  throw new Error('expected a SlotDecryptionError');
}

describe('createSlotCipher', () => {
  it('P1 round-trips any JSON value', () => {
    const cipher = createSlotCipher(oldKey);
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (value, ticketId, slot) => {
        const sealed = cipher.encrypt(value, { ticketId, slot });
        expect(cipher.decrypt(sealed, { ticketId, slot })).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 500 },
    );
  });

  it('P1 seals into one JSON-safe string tf1.<keyId>.<iv>.<tag>.<ciphertext>, with a fresh IV each time', () => {
    const cipher = createSlotCipher(oldKey);
    const first = cipher.encrypt('4111 1111 1111 1111', context);
    const second = cipher.encrypt('4111 1111 1111 1111', context);
    expect(first).toMatch(/^tf1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(first).not.toBe(second);
    expect(first.split('.')[2]).not.toBe(second.split('.')[2]);
    expect(JSON.parse(JSON.stringify({ value: first }))).toEqual({ value: first });
    expect(first).not.toContain('4111');
    expect(isSealed(first)).toBe(true);
    expect(sealedKeyId(first)).toBe(cipher.keyIds[0]);
  });

  it('P1 uses the documented format: a value sealed by hand with node:crypto opens', () => {
    const cipher = createSlotCipher(oldKey);
    const keyId = cipher.keyIds[0] as string;
    const iv = randomBytes(12);
    const sealer = createCipheriv('aes-256-gcm', oldKey, iv);
    sealer.setAAD(Buffer.from(JSON.stringify(['tf1', keyId, context.ticketId, context.slot])));
    const ciphertext = Buffer.concat([sealer.update(JSON.stringify({ last4: '1111' })), sealer.final()]);
    const sealed = ['tf1', keyId, iv.toString('base64url'), sealer.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
    expect(cipher.decrypt(sealed, context)).toEqual({ last4: '1111' });
  });

  it('P1 detects any change to a sealed value', () => {
    const cipher = createSlotCipher(oldKey);
    const sealed = cipher.encrypt({ card: '4111111111111111', holder: 'J. Doe' }, context);
    fc.assert(
      fc.property(
        fc.nat({ max: sealed.length - 1 }),
        fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'),
        (at, replacement) => {
          fc.pre(sealed[at] !== replacement);
          const tampered = sealed.slice(0, at) + replacement + sealed.slice(at + 1);
          const error = decryptionFailure(cipher, tampered);
          expect(['malformed', 'unknown_key', 'authentication_failed']).toContain(error.reason);
        },
      ),
      { numRuns: 1000 },
    );
    for (const cut of [sealed.slice(0, -1), sealed.slice(0, -2), sealed.slice(0, -4), `${sealed}A`, `${sealed}AA`, `${sealed}AAAA`]) {
      expect(['malformed', 'authentication_failed']).toContain(decryptionFailure(cipher, cut).reason);
    }
  });

  it('P1 refuses a sealed value copied to another ticket or another slot', () => {
    const cipher = createSlotCipher(oldKey);
    const sealed = cipher.encrypt('4111111111111111', context);
    expect(decryptionFailure(cipher, sealed, { ticketId: 'T-2', slot: 'card_number' }).reason).toBe('authentication_failed');
    expect(decryptionFailure(cipher, sealed, { ticketId: 'T-1', slot: 'iban' }).reason).toBe('authentication_failed');
    const split = cipher.encrypt('x', { ticketId: 'a', slot: 'bc' });
    expect(decryptionFailure(cipher, split, { ticketId: 'ab', slot: 'c' }).reason).toBe('authentication_failed');
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        (ticketId, slot, otherTicket, otherSlot) => {
          fc.pre(ticketId !== otherTicket || slot !== otherSlot);
          const value = cipher.encrypt(42, { ticketId, slot });
          expect(decryptionFailure(cipher, value, { ticketId: otherTicket, slot: otherSlot }).reason).toBe('authentication_failed');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('P1 rotation: with [new, old] old values open, new values use the new key, and a removed key says so', () => {
    const before = createSlotCipher(oldKey);
    const during = createSlotCipher([newKey.toString('base64'), oldKey.toString('hex')]);
    const after = createSlotCipher(newKey);
    expect(during.keyIds).toEqual([after.keyIds[0], before.keyIds[0]]);
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const old = before.encrypt(value, context);
        expect(during.decrypt(old, context)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(during.needsReencryption(old)).toBe(true);
        const fresh = during.encrypt(value, context);
        expect(sealedKeyId(fresh)).toBe(after.keyIds[0]);
        expect(during.needsReencryption(fresh)).toBe(false);
        expect(after.decrypt(fresh, context)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 200 },
    );
    const error = decryptionFailure(after, before.encrypt('4111111111111111', context));
    expect(error.reason).toBe('unknown_key');
    expect(error.keyId).toBe(before.keyIds[0]);
    expect(error.message).toContain(`no key with id ${before.keyIds[0]}`);
    expect(error.message).toContain('rotated out');
  });

  it('P1 decryption errors are typed TicketflowErrors that never show the value or a key', () => {
    const cipher = createSlotCipher(oldKey);
    const sealed = cipher.encrypt('4111111111111111', context);
    const tampered = `${sealed.slice(0, -1)}${sealed.endsWith('A') ? 'B' : 'A'}`;
    const errors = [
      decryptionFailure(cipher, tampered),
      decryptionFailure(cipher, sealed, { ticketId: 'T-9', slot: 'card_number' }),
      decryptionFailure(cipher, 'not sealed'),
      decryptionFailure(createSlotCipher(newKey), sealed),
    ];
    expect(errors.map((error) => error.reason)).toEqual<SlotDecryptionFailure[]>([
      'authentication_failed',
      'authentication_failed',
      'malformed',
      'unknown_key',
    ]);
    for (const error of errors) {
      expect(TicketflowError.isInstance(error)).toBe(true);
      expect(error.code).toBe('decryption_failed');
      expect(error.slot).toBe('card_number');
      const shown = `${error.message} ${inspect(error)} ${JSON.stringify(error)}`;
      for (const secret of ['4111', oldKey.toString('hex'), oldKey.toString('base64'), newKey.toString('hex'), sealed]) expect(shown).not.toContain(secret);
    }
    expect(errors[0]?.message).toContain('authentication failed');
  });

  it('P1 refuses values that JSON cannot hold and incomplete contexts, as programmer errors', () => {
    const cipher = createSlotCipher(oldKey);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const value of [undefined, () => 1, Symbol('s'), 10n, cycle]) {
      expect(() => cipher.encrypt(value, context)).toThrow(InvalidArgumentError);
    }
    for (const where of [undefined, null, {}, { ticketId: 'T-1' }, { ticketId: '', slot: 'x' }, { ticketId: 'T-1', slot: 3 }]) {
      expect(() => cipher.encrypt('x', where as unknown as SlotCipherContext)).toThrow(InvalidArgumentError);
      expect(() => cipher.decrypt(cipher.encrypt('x', context), where as unknown as SlotCipherContext)).toThrow(InvalidArgumentError);
    }
    for (const sealed of [undefined, 42, null, '', 'tf1....', 'tf2.00000000.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AA']) {
      expect(decryptionFailure(cipher, sealed as unknown as string).reason).toBe('malformed');
    }
  });

  it('P1 O4 a cipher never shows its keys when logged or serialised', () => {
    const cipher = createSlotCipher([newKey, oldKey]);
    const shown = `${inspect(cipher, { showHidden: true, depth: 5 })} ${JSON.stringify(cipher)}`;
    for (const key of [newKey, oldKey]) {
      expect(shown).not.toContain(key.toString('hex'));
      expect(shown).not.toContain(key.toString('base64'));
    }
    expect(Object.isFrozen(cipher)).toBe(true);
  });
});
