import { markError, hasErrorMarker, TicketflowError } from '../errors/ticketflow-error.js';

/** Why a sealed slot value could not be opened. */
export type SlotDecryptionFailure = 'malformed' | 'unknown_key' | 'authentication_failed';

const marker = Symbol.for('ticketflow.error.decryption_failed');

/**
 * A sealed slot value could not be decrypted (code `decryption_failed`). `reason` says why:
 *
 * - `unknown_key`: none of the configured keys has the id it was sealed with (`keyId`) — the
 *   key was rotated out too early, or the wrong keys are configured;
 * - `authentication_failed`: the value was altered, was copied from another ticket or slot, or
 *   the key with that id is not the one that sealed it;
 * - `malformed`: the text is not a sealed value at all.
 *
 * The message names the slot and the key id, never the value, the plaintext or any key.
 */
export class SlotDecryptionError extends TicketflowError {
  /** Why decryption failed. */
  readonly reason: SlotDecryptionFailure;
  /** The key id found in the sealed value, when there was one. */
  readonly keyId: string | undefined;
  /** The slot the value belongs to. */
  readonly slot: string;

  constructor(options: { reason: SlotDecryptionFailure; slot: string; keyId?: string }) {
    super({ code: 'decryption_failed', message: describe(options) });
    this.name = 'SlotDecryptionError';
    this.reason = options.reason;
    this.keyId = options.keyId;
    this.slot = options.slot;
    markError(this, marker);
  }

  static override isInstance(value: unknown): value is SlotDecryptionError {
    return hasErrorMarker(value, marker);
  }
}

function describe(options: { reason: SlotDecryptionFailure; slot: string; keyId?: string }): string {
  const subject = `Cannot decrypt the value of sensitive slot ${JSON.stringify(options.slot)}`;
  switch (options.reason) {
    case 'unknown_key':
      return `${subject}: no key with id ${options.keyId} is configured (was the key rotated out?). Add it back to encryptionKey after the current key.`;
    case 'authentication_failed':
      return `${subject}: authentication failed (the value was altered, belongs to another ticket or slot, or key ${options.keyId} is not the key that sealed it).`;
    case 'malformed':
      return `${subject}: it is not a sealed value (expected tf1.<keyId>.<iv>.<tag>.<ciphertext>).`;
  }
}
