/**
 * The personal data of the privacy test's conversation (P1, P2) and the scanner that looks for
 * it in raw bytes and text, in every form an attacker reading a dump would try.
 *
 * The values are fixed (a test card number, the textbook German IBAN, an e-mail address of a
 * reserved domain), so a failure is reproducible and its report can show them; every run uses
 * its own namespace, schema and file, so nothing another suite wrote is scanned.
 */

/** One piece of personal data: how the customer writes it and what the slot keeps. */
export interface PersonalDatum {
  kind: 'card number' | 'IBAN' | 'e-mail address';
  /** The normalised value the sensitive slot keeps and the workflow receives. */
  clear: string;
  /** Spellings the customer uses in messages. */
  written: readonly string[];
  /** The mask of the sensitive slot (`maskValue` of {@link clear}): the only trace allowed. */
  slotMask: string;
  /** The mask `defaultRedact` puts in message texts. */
  messageMask: string;
  /** Digits whose runs are searched with any separators (card, IBAN), or none. */
  digits?: string;
  /** Other strings that must never appear (case-insensitive): parts that identify the person. */
  fragments: readonly string[];
}

/** A Luhn-valid card number (a Mastercard test number). */
export const CARD: PersonalDatum = {
  kind: 'card number',
  clear: '5425233430109903',
  written: ['5425 2334 3010 9903', '5425-2334-3010-9903', '5425233430109903'],
  slotMask: '****9903',
  messageMask: '****9903',
  digits: '5425233430109903',
  fragments: [],
};

/** A mod-97-valid IBAN (the German example IBAN). */
export const IBAN: PersonalDatum = {
  kind: 'IBAN',
  clear: 'DE89370400440532013000',
  written: ['DE89 3704 0044 0532 0130 00', 'de89370400440532013000', 'DE89370400440532013000'],
  slotMask: '****3000',
  messageMask: 'DE****3000',
  digits: '89370400440532013000',
  fragments: [],
};

/** An e-mail address, written with capitals and a sub-address. */
export const EMAIL: PersonalDatum = {
  kind: 'e-mail address',
  clear: 'marta.kowalski+billing@example.org',
  written: ['Marta.Kowalski+Billing@Example.org', 'marta.kowalski+billing@example.org'],
  slotMask: '****.org',
  messageMask: '***@***',
  fragments: ['marta.kowalski', 'kowalski+billing', 'marta kowalski'],
};

export const PERSONAL_DATA: readonly PersonalDatum[] = [CARD, IBAN, EMAIL];

/** Where a piece of personal data was found. */
export interface Finding {
  source: string;
  kind: PersonalDatum['kind'];
  /** Which form matched (`spaced`, `base64 of "…"`, `8-digit run`…). */
  form: string;
  /** What surrounds it, for the report. */
  excerpt: string;
}

interface Needle {
  datum: PersonalDatum;
  form: string;
  pattern: RegExp;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Digits in order with up to `gap` separator characters (anything but letters and digits) between them. */
function digitRun(digits: string, gap: string): RegExp {
  return new RegExp([...digits].join(gap), 'gi');
}

/**
 * `text` base64-encoded at each of the three byte alignments it can have inside a longer
 * encoded string: only the groups that depend on `text` alone are kept, so the needle is
 * found whatever precedes or follows it.
 */
export function base64Cores(text: string): string[] {
  const cores: string[] = [];
  for (const shift of [0, 1, 2]) {
    const bytes = Buffer.concat([Buffer.alloc(shift), Buffer.from(text, 'utf8')]);
    const whole = Math.floor(bytes.length / 3) * 4;
    for (const alphabet of ['base64', 'base64url'] as const) {
      const core = bytes.toString(alphabet).slice(shift === 0 ? 0 : 4, whole);
      if (core.length >= 12) cores.push(core);
    }
  }
  return [...new Set(cores)];
}

/** Every needle of one datum: full values with any separators, long digit runs, fragments, encodings. */
function needlesOf(datum: PersonalDatum): Needle[] {
  const needles: Needle[] = [];
  const add = (form: string, pattern: RegExp) => needles.push({ datum, form, pattern });
  const literals = [...new Set([datum.clear, ...datum.written, datum.clear.toLowerCase(), datum.clear.toUpperCase()])];
  for (const literal of literals) add(`"${literal}" (any case)`, new RegExp(escapeRegExp(literal), 'gi'));
  // The whole value character by character with separators: spaces, dashes, dots, NULs,
  // JSON or UTF-16 padding — anything but letters and digits.
  add('the whole value with any separators', new RegExp([...datum.clear].map(escapeRegExp).join('[^0-9a-z]{0,3}'), 'gi'));
  if (datum.digits) {
    add('every digit with any separators', digitRun(datum.digits, '[^0-9a-z]{0,3}'));
    // More than the last four: any 8 digits of the value in a row (spaces or dashes allowed).
    for (let start = 0; start + 8 <= datum.digits.length; start += 1)
      add(`digits ${start + 1}–${start + 8} in a row`, digitRun(datum.digits.slice(start, start + 8), '[ -]?'));
  }
  for (const fragment of datum.fragments) add(`"${fragment}" (any case)`, new RegExp(escapeRegExp(fragment).replace(/\\?[ .]/g, '[^0-9a-z]?'), 'gi'));
  for (const literal of new Set([datum.clear, ...datum.written])) {
    for (const core of base64Cores(literal)) add(`base64 of "${literal}"`, new RegExp(escapeRegExp(core), 'g'));
    add(`hex of "${literal}"`, new RegExp(Buffer.from(literal, 'utf8').toString('hex'), 'gi'));
  }
  return needles;
}

const NEEDLES = PERSONAL_DATA.flatMap(needlesOf);

/**
 * The ways one text can hide a value: as it is, JSON/JS-unescaped (`\u0040`, `\/`),
 * percent-decoded, HTML-entity-decoded, and — for bytes — read as UTF-16.
 */
function readings(text: string): { how: string; text: string }[] {
  const unescaped = text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replace(/\\([/"\\])/g, '$1');
  const percent = text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  const entities = text.replace(/&#(x?)([0-9a-fA-F]+);/g, (_, x: string, code: string) => String.fromCodePoint(Number.parseInt(code, x ? 16 : 10)));
  const variants = [
    { how: '', text },
    { how: ' (unescaped)', text: unescaped },
    { how: ' (percent-decoded)', text: percent },
    { how: ' (HTML entities decoded)', text: entities },
  ];
  return variants.filter((variant, index) => index === 0 || variant.text !== text);
}

/**
 * Every piece of personal data found in `content` (bytes are read as Latin-1 and as
 * UTF-16LE, so any byte sequence is searched; text as it is). Empty when none.
 */
export function findPersonalData(source: string, content: string | Uint8Array): Finding[] {
  const texts: { how: string; text: string }[] = [];
  if (typeof content === 'string') texts.push(...readings(content));
  else {
    const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    texts.push(...readings(bytes.toString('latin1')));
    for (const offset of [0, 1]) texts.push({ how: ` (UTF-16LE at offset ${offset})`, text: bytes.subarray(offset).toString('utf16le') });
  }
  const findings: Finding[] = [];
  for (const { how, text } of texts) {
    for (const needle of NEEDLES) {
      needle.pattern.lastIndex = 0;
      const match = needle.pattern.exec(text);
      if (!match) continue;
      const from = Math.max(0, match.index - 60);
      const excerpt = text.slice(from, match.index + match[0].length + 60).replace(/[^\x20-\x7e]/g, '·');
      findings.push({ source: `${source}${how}`, kind: needle.datum.kind, form: needle.form, excerpt });
    }
  }
  return findings;
}

/** How many times `marker` occurs in `content` (bytes read as Latin-1, text unescaped too). */
export function countMarker(content: string | Uint8Array, marker: string): number {
  const text = typeof content === 'string' ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('latin1');
  let count = 0;
  for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) count += 1;
  return count;
}

/** One line per finding, for assertion messages and the report. */
export function describeFindings(findings: readonly Finding[]): string {
  // One line per value and place; the other forms that matched at that place are counted.
  const lines = new Map<string, { finding: Finding; forms: number }>();
  for (const finding of findings) {
    const key = `${finding.kind}\u0000${finding.source}`;
    const line = lines.get(key);
    if (line) line.forms += 1;
    else lines.set(key, { finding, forms: 1 });
  }
  return [...lines.values()]
    .map(
      ({ finding, forms }) => `${finding.kind} in ${finding.source} as ${finding.form}${forms > 1 ? ` (+${forms - 1} other forms)` : ''}: …${finding.excerpt}…`,
    )
    .join('\n');
}

/**
 * JSON of anything a test captured (hook payloads, log lines): errors with their message,
 * stack, cause and own fields, bytes as Latin-1, so nothing a listener could see is skipped.
 */
export function serializeForScan(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, function replace(_key, item: unknown) {
    if (typeof item === 'bigint') return item.toString();
    if (item instanceof Uint8Array) return Buffer.from(item).toString('latin1');
    if (item === null || typeof item !== 'object') return item;
    if (seen.has(item)) return '[circular]';
    seen.add(item);
    if (item instanceof Error) return { ...item, name: item.name, message: item.message, stack: item.stack, cause: (item as { cause?: unknown }).cause };
    return item;
  });
}
