import { type Decision, decisionSchema } from './decision.js';
import { LONE_SURROGATES } from '../util/lone-surrogate.js';

/** Outcome of {@link parseDecision}: a decision, or a reason fit to send back to the model. */
export type ParsedDecision = { ok: true; decision: Decision; ignoredKeys: string[] } | { ok: false; error: string };

const maxDepth = 20;
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Extracts and validates a decision from a model's raw text. Tolerates code fences and
 * prose around the JSON; refuses deep nesting; drops prototype-polluting keys, NUL
 * characters and lone surrogates (which some stores refuse); validates with {@link decisionSchema}.
 */
export function parseDecision(text: string): ParsedDecision {
  const json = extractJson(text);
  if (!json.ok) return json;
  const sanitized = sanitize(json.value, 0);
  if (!sanitized.ok) return sanitized;
  if (typeof sanitized.value !== 'object' || sanitized.value === null || Array.isArray(sanitized.value)) {
    return { ok: false, error: 'the answer must be a JSON object with intent, confidence and entities' };
  }
  const fast = fastPath(sanitized.value as Record<string, unknown>);
  if (fast) return { ok: true, decision: fast, ignoredKeys: extraKeys(sanitized.value) };
  const result = decisionSchema.safeParse(sanitized.value);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    return { ok: false, error: `the JSON does not match the decision schema: ${issues.join('; ')}` };
  }
  return { ok: true, decision: result.data, ignoredKeys: extraKeys(sanitized.value) };
}

/**
 * The shape nearly every answer has, checked without zod (it is on every turn's path).
 * Anything else goes through {@link decisionSchema}, which stays the authority.
 */
function fastPath(value: Record<string, unknown>): Decision | null {
  const { intent, confidence, entities } = value;
  if (typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 1)) return null;
  if (intent !== null && intent !== undefined && (typeof intent !== 'string' || intent.length > 200)) return null;
  if (entities !== undefined && entities !== null && (typeof entities !== 'object' || Array.isArray(entities))) return null;
  const name = typeof intent === 'string' ? intent.trim() : '';
  return { intent: name === '' ? null : name, confidence, entities: (entities as Record<string, unknown> | null | undefined) ?? {} };
}

function extraKeys(value: object): string[] {
  return Object.keys(value).filter((key) => key !== 'intent' && key !== 'confidence' && key !== 'entities');
}

type Extracted = { ok: true; value: unknown } | { ok: false; error: string };

/** Finds the JSON object in a model's answer: whole text, a fenced block, or the first balanced object. */
export function extractJson(text: string): Extracted {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return { ok: false, error: 'the answer is empty' };
  const direct = tryParse(trimmed);
  if (direct.ok) return direct;
  for (const match of trimmed.matchAll(/```(?:json|JSON)?\s*\n?([\s\S]*?)```/g)) {
    const fenced = tryParse(match[1]!.trim());
    if (fenced.ok) return fenced;
  }
  let start = trimmed.indexOf('{');
  for (let tries = 0; start >= 0 && tries < 5; tries += 1) {
    const end = findMatchingBrace(trimmed, start);
    if (end < 0) break;
    const candidate = tryParse(trimmed.slice(start, end + 1));
    if (candidate.ok) return candidate;
    start = trimmed.indexOf('{', start + 1);
  }
  return { ok: false, error: 'the answer contains no valid JSON object' };
}

function tryParse(text: string): Extracted {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, error: 'not JSON' };
  }
}

/** Index of the `}` closing the `{` at `start`, aware of strings and escapes; -1 if none. */
function findMatchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth += 1;
    else if (char === '}') {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return -1;
}

/** Text every store can keep: no NUL, no lone surrogate (replaced by U+FFFD). */
function storable(text: string): string {
  const withoutNul = text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
  return anySurrogate.test(withoutNul) ? withoutNul.replace(LONE_SURROGATES, '\uFFFD') : withoutNul;
}

const anySurrogate = /[\uD800-\uDFFF]/;

/** Copies a parsed JSON value without prototype-polluting keys, NUL characters and lone surrogates. */
function sanitize(value: unknown, depth: number): Extracted {
  if (depth > maxDepth) return { ok: false, error: `the JSON is nested deeper than ${maxDepth} levels` };
  if (typeof value === 'string') return { ok: true, value: storable(value) };
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const clean = sanitize(item, depth + 1);
      if (!clean.ok) return clean;
      items.push(clean.value);
    }
    return { ok: true, value: items };
  }
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (forbiddenKeys.has(key)) continue;
      const clean = sanitize(item, depth + 1);
      if (!clean.ok) return clean;
      copy[storable(key)] = clean.value;
    }
    return { ok: true, value: copy };
  }
  return { ok: true, value };
}
