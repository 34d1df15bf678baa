import { StoreError } from './store-error.js';

/**
 * Serialises a document or an event for a store adapter.
 * @throws {StoreError} `invalid` when the value is not JSON (a cycle, a BigInt).
 */
export function encodeStoredJson(adapter: string, value: unknown, what: string): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new StoreError({ kind: 'invalid', adapter, message: `${what} is not JSON: ${(error as Error).message}`, cause: error });
  }
}

/**
 * Parses a stored JSON object (a ticket document, an event) read back by a store adapter.
 * @throws {StoreError} `corrupt` (not retryable) when the text is not JSON or not an object.
 */
export function decodeStoredObject<T extends object>(adapter: string, text: unknown, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text as string);
  } catch (error) {
    throw new StoreError({ kind: 'corrupt', adapter, retryable: false, message: `the stored ${what} is not valid JSON`, cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StoreError({ kind: 'corrupt', adapter, retryable: false, message: `the stored ${what} is not a JSON object` });
  }
  return value as T;
}
