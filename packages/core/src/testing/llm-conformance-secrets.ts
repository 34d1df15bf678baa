import { inspect } from 'node:util';
import { expect } from 'vitest';

/**
 * Asserts that no secret (API key, password) appears anywhere a thrown value can be read
 * (DESIGN O4): its message, `String()`, stack, `JSON.stringify`, `util.inspect` (which
 * prints the `cause` chain and hidden properties), and the same for every `cause` and
 * `errors` entry below it. Secrets shorter than 4 characters are ignored.
 *
 * @example
 * ```ts
 * const error = await llm.generate('hi').catch((caught: unknown) => caught);
 * expectNoSecret(error, ['AIza-test-key']);
 * ```
 */
export function expectNoSecret(value: unknown, secrets: readonly string[], label = 'error'): void {
  const needles = secrets.filter((secret) => secret.length >= 4).flatMap((secret) => unique([secret, encodeURIComponent(secret)]));
  for (const [where, text] of readableTexts(value)) {
    for (const needle of needles) {
      expect(text.includes(needle), `${label}: a secret appears in ${where}`).toBe(false);
    }
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

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
