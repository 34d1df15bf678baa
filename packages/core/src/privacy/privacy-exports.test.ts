import { describe, expect, it } from 'vitest';
import * as core from '../index.js';

describe('privacy exports of @ticketflow/core', () => {
  it('P1 P2 the package entry exports every privacy building block', () => {
    for (const name of [
      'defaultRedact',
      'maskCardNumbers',
      'maskIbans',
      'maskEmails',
      'maskPhoneNumbers',
      'isLuhnValid',
      'isIbanValid',
      'maskValue',
      'createSlotCipher',
      'isSealed',
      'sealedKeyId',
      'parseEncryptionKeys',
      'checkEncryptionKeys',
      'SlotDecryptionError',
    ] as const) {
      expect(typeof core[name], name).toBe('function');
    }
    expect([core.EMAIL_MASK, core.PHONE_MASK, core.VALUE_MASK]).toEqual(['***@***', '***-***', '****']);
  });
});
