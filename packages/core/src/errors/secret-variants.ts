/** Secrets shorter than this are ignored by the scrubber: masking them would mangle ordinary text. */
export const MIN_SECRET_LENGTH = 4;

/**
 * Every form in which `secret` may come back inside a text that a server, a proxy or an SDK
 * built from a request (DESIGN O4): the secret as is, percent-encoded (upper- and lower-case
 * hex, `+` for spaces, twice), HTML-escaped, base64 and base64url — also as part of a larger
 * base64 string, such as `Basic base64(user:password)`, at each of the three byte alignments —
 * and each of those JSON-escaped (plain, `\u`-escaped non-ASCII, `\/`, and twice); the same
 * encodings are applied to the JSON-escaped secret (a JSON document sent base64-encoded).
 *
 * Longest first, without duplicates, none shorter than {@link MIN_SECRET_LENGTH}; an empty list
 * for a secret that is too short.
 *
 * @example
 * ```ts
 * secretVariants('p@ss word');
 * // ['p%2540ss%2520word', 'p%40ss%20word', 'p%40ss+word', 'cEBzcyB3b3Jk', 'p@ss word', …]
 * ```
 */
export function secretVariants(secret: string): string[] {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) return [];
  const encoded = new Set<string>();
  for (const form of [secret, JSON.stringify(secret).slice(1, -1)]) {
    for (const variant of [form, ...percentForms(form), escapeHtml(form), ...base64Forms(form)]) encoded.add(variant);
  }
  const variants = new Set<string>();
  for (const form of encoded) {
    for (const json of jsonForms(form)) variants.add(json);
  }
  return [...variants].filter((variant) => variant.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

function percentForms(secret: string): string[] {
  let upper: string;
  try {
    upper = encodeURIComponent(secret);
  } catch {
    return []; // a lone surrogate cannot be percent-encoded, so it cannot travel that way either
  }
  const lower = upper.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  return [upper, lower, form, encodeURIComponent(upper)];
}

function escapeHtml(secret: string): string {
  return secret.replace(/[&<>"']/g, (character) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[character]};`);
}

/**
 * The base64 characters that depend on the secret's bytes alone, for the secret starting at
 * byte offset 0, 1 and 2 of a group: what any base64 text containing the secret contains.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms: string[] = [];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const first = Math.ceil((offset * 8) / 6);
    const last = Math.floor(((offset + bytes.length) * 8) / 6); // exclusive: the next character mixes in what follows
    const middle = encoded.slice(first, last);
    forms.push(middle, middle.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

function jsonForms(text: string): string[] {
  const escaped = JSON.stringify(text).slice(1, -1);
  const ascii = escaped.replace(/[\u007f-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const twice = JSON.stringify(escaped).slice(1, -1);
  return [text, escaped, ascii, escaped.replace(/\//g, '\\/'), twice];
}
