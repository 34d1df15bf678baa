import type { MockDecision } from './mock-answer.js';

/**
 * Maps a message to an intent when it matches: a regular expression, a substring
 * (case-insensitive), or a predicate. `entities` values may be functions of the match.
 */
export interface MockRule {
  match: RegExp | string | ((message: string) => boolean);
  intent?: string | null;
  /** Default 0.9. */
  confidence?: number;
  entities?: Record<string, unknown | ((match: RegExpMatchArray | null, message: string) => unknown)>;
}

/** Extracts one slot value from any message: the first match of `pattern`. */
export interface MockExtractor {
  slot: string;
  pattern: RegExp;
  /** Capture group holding the value (default 1, or 0 without groups). */
  group?: number;
  /** Turns the captured text into the value (e.g. `Number`). */
  map?: (value: string, match: RegExpMatchArray) => unknown;
}

/**
 * Decides from rules, like a tiny offline model: the first matching rule with an intent
 * gives intent and confidence; entities come from every matching rule and every extractor.
 * No rule: `fallback` (default: intent null, confidence 0.2).
 */
export function decideByRules(message: string, rules: readonly MockRule[], extractors: readonly MockExtractor[], fallback: MockDecision): MockDecision {
  let intent: string | null | undefined;
  let confidence: number | undefined;
  const entities: Record<string, unknown> = {};
  for (const rule of rules) {
    const match = matchRule(rule.match, message);
    if (!match.matched) continue;
    if (intent === undefined && rule.intent !== undefined) {
      intent = rule.intent;
      confidence = rule.confidence ?? 0.9;
    }
    for (const [name, value] of Object.entries(rule.entities ?? {})) {
      const resolved = typeof value === 'function' ? (value as (m: RegExpMatchArray | null, text: string) => unknown)(match.groups, message) : value;
      if (resolved !== undefined && !(name in entities)) entities[name] = resolved;
    }
  }
  for (const extractor of extractors) {
    if (extractor.slot in entities) continue;
    const match = message.match(extractor.pattern);
    if (!match) continue;
    const text = match[extractor.group ?? (match.length > 1 ? 1 : 0)];
    if (text === undefined) continue;
    const value = extractor.map ? extractor.map(text, match) : text;
    if (value !== undefined && value !== null) entities[extractor.slot] = value;
  }
  if (intent === undefined) return { intent: fallback.intent, confidence: fallback.confidence, entities: { ...(fallback.entities ?? {}), ...entities } };
  return { intent, confidence: confidence ?? 0.9, entities };
}

function matchRule(matcher: MockRule['match'], message: string): { matched: boolean; groups: RegExpMatchArray | null } {
  if (matcher instanceof RegExp) {
    const groups = message.match(matcher);
    return { matched: groups !== null, groups };
  }
  if (typeof matcher === 'string') return { matched: message.toLowerCase().includes(matcher.toLowerCase()), groups: null };
  return { matched: matcher(message), groups: null };
}
