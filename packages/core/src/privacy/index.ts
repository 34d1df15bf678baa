// Privacy building blocks (P1, P2): pure functions, no I/O, no clock, no global state.
export { defaultRedact } from './default-redact.js';
export { isIbanValid } from './iban.js';
export { isLuhnValid } from './luhn.js';
export { maskCardNumbers } from './mask-card-numbers.js';
export { EMAIL_MASK, maskEmails } from './mask-emails.js';
export { maskIbans } from './mask-ibans.js';
export { maskPhoneNumbers, PHONE_MASK } from './mask-phone-numbers.js';
export { maskValue, VALUE_MASK } from './mask-value.js';
export { isSealed, sealedKeyId } from './sealed-value.js';
export { checkEncryptionKeys, parseEncryptionKeys } from './encryption-keys.js';
export type { EncryptionKey, EncryptionKeyInput } from './encryption-keys.js';
export { createSlotCipher } from './slot-cipher.js';
export type { SlotCipher, SlotCipherContext } from './slot-cipher.js';
export { SlotDecryptionError } from './slot-decryption-error.js';
export type { SlotDecryptionFailure } from './slot-decryption-error.js';
