import { inspect } from 'node:util';
import { expect } from 'vitest';
import { secretVariants } from '../errors/secret-variants.js';

/**
 * Asserts that no secret (API key, header value, password) appears anywhere a thrown value —
 * or any value: an event list, a log line — can be read (DESIGN O4): its message, `String()`,
 * stack, `JSON.stringify`, `util.inspect` (which prints the `cause` chain and hidden
 * properties), and the same for every property, `cause` and `errors` entry below it; in every
 * encoding the scrubber knows (`secretVariants`: raw, percent-encoded, base64 also inside
 * `Basic …`, JSON-escaped, …). Secrets shorter than 4 characters are ignored.
 *
 * @example
 * ```ts
 * const error = await llm.generate('hi').catch((caught: unknown) => caught);
 * expectNoSecret(error, ['AIza-test-key']);
 * ```
 */
export function expectNoSecret(value: unknown, secrets: readonly string[], label = 'error'): void {
  const needles = unique(secrets.flatMap((secret) => secretVariants(secret)));
  for (const [where, text] of readableTexts(value)) {
    const found = needles.find((needle) => text.includes(needle));
    expect(
      found === undefined,
      `${label}: a secret appears in ${where}${found === undefined ? '' : ` (as ${JSON.stringify(found)}): ${excerpt(text, found)}`}`,
    ).toBe(true);
  }
}

function readableTexts(root: unknown): [string, string][] {
  const texts: [string, string][] = [['util.inspect', inspect(root, { depth: 20, showHidden: true })]];
  const seen = new Set<unknown>();
  const visit = (value: unknown, path: string, depth: number): void => {
    if (depth > 10 || value === null || value === undefined || seen.has(value)) return;
    if (typeof value !== 'object' && typeof value !== 'function') {
      texts.push([path, String(value)]);
      return;
    }
    seen.add(value);
    texts.push([`String(${path})`, safeString(value)], [`JSON.stringify(${path})`, safeJson(value)]);
    if (value instanceof Error) {
      texts.push([`${path}.message`, value.message], [`${path}.stack`, value.stack ?? '']);
    }
    for (const key of Reflect.ownKeys(value)) {
      const child = (value as Record<PropertyKey, unknown>)[key];
      visit(child, `${path}.${String(key)}`, depth + 1);
    }
  };
  visit(root, 'error', 0);
  return texts;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '';
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/** The text around the leak with the leaked part masked, so the failure message does not print the secret. */
function excerpt(text: string, needle: string): string {
  const at = text.indexOf(needle);
  return JSON.stringify(`${text.slice(Math.max(0, at - 60), at)}<secret>${text.slice(at + needle.length, at + needle.length + 60)}`);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
