import { ConfigurationError, LLM_ERROR_KINDS, LLMError } from '@ticketflow/core';
import { checkOptions, closestName } from '@ticketflow/core/adapter';
import { z } from 'zod';
import type { MockLLMOptions } from './mock-llm.js';

/** How many calls `calls` keeps by default: enough for any test, bounded for a server that runs for weeks. */
export const DEFAULT_MAX_RECORDED_CALLS = 100;

const isFunction = (value: unknown) => typeof value === 'function';
const decisionSchema = z.object({
  intent: z.string().nullable(),
  confidence: z.number().min(0).max(1),
  entities: z.record(z.string(), z.unknown()).optional(),
});
const ruleSchema = z.object({
  match: z.union([z.instanceof(RegExp), z.string(), z.custom<(message: string) => boolean>(isFunction)], {
    error: 'must be a RegExp, a string or a function of the message',
  }),
  intent: z.string().nullable().optional(),
  confidence: z.number().min(0).max(1).optional(),
  entities: z.record(z.string(), z.unknown()).optional(),
});
const extractorSchema = z.object({
  slot: z.string().min(1),
  pattern: z.instanceof(RegExp, { error: 'must be a RegExp' }),
  group: z.number().int().min(0).optional(),
  map: z.custom<(value: string, match: RegExpMatchArray) => unknown>(isFunction, 'must be a function').optional(),
});

/** {@link MockLLMOptions} as a zod schema: every key, its type and range. */
export const mockOptionsSchema = z.object({
  name: z.string().min(1, 'must be a non-empty string').optional(),
  model: z.string().min(1, 'must be a non-empty string').optional(),
  responses: z.array(z.unknown()).optional(),
  respond: z.custom<NonNullable<MockLLMOptions['respond']>>(isFunction, 'must be a function (prompt, call) => answer').optional(),
  rules: z.array(z.unknown()).optional(),
  extractors: z.array(z.unknown()).optional(),
  fallback: z.record(z.string(), z.unknown()).optional(),
  latencyMs: z.number().min(0, 'must be 0 or more milliseconds').optional(),
  maxRecordedCalls: z
    .custom<number>(
      (value) => value === Number.POSITIVE_INFINITY || (Number.isSafeInteger(value) && (value as number) >= 0),
      'must be a whole number of calls (0 or more), or Infinity',
    )
    .optional(),
});

/**
 * Validates the options of `MockLLM` — every problem at once, including inside each rule and
 * extractor (`{ mach: /x/ }` → did you mean "match"?).
 *
 * @throws {ConfigurationError} listing every problem.
 */
export function checkMockOptions(options: unknown): MockLLMOptions {
  const input = options === undefined ? {} : options;
  const checked = checkOptions(mockOptionsSchema, input, 'MockLLM');
  const parsed = checked.options as MockLLMOptions | undefined;
  const issues = [...checked.issues];
  // From the input, not the parsed options: a problem elsewhere must not hide these.
  const { rules, extractors, fallback, responses } = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  if (Array.isArray(rules)) rules.forEach((rule, index) => issues.push(...nestedIssues(ruleSchema, rule, `rules[${index}]`)));
  if (Array.isArray(extractors)) extractors.forEach((extractor, index) => issues.push(...nestedIssues(extractorSchema, extractor, `extractors[${index}]`)));
  if (fallback !== undefined) issues.push(...nestedIssues(decisionSchema, fallback, 'fallback'));
  if (Array.isArray(responses)) responses.forEach((answer, index) => issues.push(...answerIssues(answer, `responses[${index}]`)));
  if (issues.length > 0 || !parsed) throw new ConfigurationError({ message: 'Invalid MockLLM options', issues });
  return parsed;
}

function nestedIssues<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>, value: unknown, path: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: must be an object`];
  return checkOptions(schema, value, path).issues.map((issue) => `${path}: ${issue}`);
}

/**
 * The problems of one answer (and of the answer it delays): an `error` that is neither an
 * `LLMError` nor one of the core's `LLM_ERROR_KINDS` — a typo such as `rate_limit` would
 * otherwise inject an error no retry policy knows.
 */
export function answerIssues(answer: unknown, path: string): string[] {
  if (typeof answer !== 'object' || answer === null) return [];
  const { error, then } = answer as { error?: unknown; then?: unknown };
  const issues: string[] = [];
  if ('error' in answer && !LLMError.isInstance(error)) {
    const problem = unknownKindIssue(error);
    if (problem) issues.push(`${path}.error: ${problem}`);
  }
  if ('then' in answer) issues.push(...answerIssues(then, `${path}.then`));
  return issues;
}

/** Why `kind` is not an `LLMError` kind (with the closest one and the list), or undefined when it is one. */
export function unknownKindIssue(kind: unknown): string | undefined {
  if (typeof kind === 'string' && (LLM_ERROR_KINDS as readonly string[]).includes(kind)) return undefined;
  const closest = typeof kind === 'string' ? closestName(kind, LLM_ERROR_KINDS) : undefined;
  const shown = typeof kind === 'string' ? JSON.stringify(kind) : String(kind);
  return `unknown LLMError kind ${shown}${closest ? ` — did you mean "${closest}"?` : ''} (the kinds are ${LLM_ERROR_KINDS.join(', ')})`;
}
