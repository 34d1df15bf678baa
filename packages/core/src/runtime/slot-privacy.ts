import type { Registry } from '../model/registry.js';
import type { SlotValue } from '../model/ticket.js';
import type { SlotPrivacy } from '../policy/policy-context.js';
import { defaultRedact } from '../privacy/default-redact.js';
import { checkEncryptionKeys, type EncryptionKeyInput } from '../privacy/encryption-keys.js';
import { maskValue } from '../privacy/mask-value.js';
import { createSlotCipher } from '../privacy/slot-cipher.js';

/** The default `redact` (P2): masks card numbers, IBANs, e-mail addresses and phone numbers. */
export const defaultRedactor = defaultRedact;

/**
 * The privacy of `sensitive: true` slots (P1) with the agent's `encryptionKey`: a value is
 * kept as a mask plus its AES-256-GCM ciphertext, bound to the ticket and the slot.
 */
export function createSlotPrivacy(encryptionKey: unknown): SlotPrivacy {
  const cipher = createSlotCipher(encryptionKey as EncryptionKeyInput | readonly EncryptionKeyInput[]);
  return {
    seal: (ticketId, slot, value) => ({ mask: maskValue(value), sealed: cipher.encrypt(value, { ticketId, slot }) }),
    open: (ticketId, slot, stored: SlotValue) => (stored.sealed === undefined ? stored.value : cipher.decrypt(stored.sealed, { ticketId, slot })),
  };
}

/** Problems with `encryptionKey` and sensitive slots, for `createAgent` to list with the others. */
export function privacyIssues(registry: Registry, encryptionKey: unknown): string[] {
  const sensitive = [...registry.slots.values()].filter((slot) => slot.sensitive).map((slot) => slot.name);
  if (encryptionKey === undefined) {
    return sensitive.length > 0
      ? [
          `slots ${sensitive.map((name) => JSON.stringify(name)).join(', ')} are sensitive: createAgent needs an encryptionKey (32 bytes, base64 or hex) to keep them encrypted (P1)`,
        ]
      : [];
  }
  return checkEncryptionKeys(encryptionKey);
}
