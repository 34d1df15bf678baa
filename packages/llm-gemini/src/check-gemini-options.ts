import { ConfigurationError } from '@ticketflow/core';
import { checkOptions, httpCredentials, type HttpCredentials } from '@ticketflow/core/adapter';
import { z } from 'zod';
import type { GeminiLLMOptions } from './gemini-llm.js';

const DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com';
const MAX_TIMEOUT_MS = 2_147_483_647;

/** Header names are HTTP tokens; values hold no CR, LF or NUL (fetch would refuse them, quoting the value in its error). */
const headersSchema = z
  .record(z.string(), z.string({ error: 'must be a string' }).regex(/^[^\r\n\0]*$/, 'must not contain CR, LF or NUL'))
  .superRefine((headers, context) => {
    for (const name of Object.keys(headers)) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) context.addIssue({ code: 'custom', path: [name], message: 'must be an HTTP header name' });
    }
  });

/** True for an absolute http: or https: URL with a host: any other scheme would fail every request, as a retryable outage. */
function isHttpUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
}

/** {@link GeminiLLMOptions} as a zod schema: every key, its type and range. */
export const geminiOptionsSchema = z.object({
  apiKey: z
    .string({ error: 'must be a non-empty string (e.g. process.env.GEMINI_API_KEY)' })
    .refine((key) => key.trim() !== '', 'must be a non-empty string (e.g. process.env.GEMINI_API_KEY)'),
  model: z.string().min(1, 'must be a non-empty model id, e.g. gemini-2.5-flash').optional(),
  baseUrl: z.string().refine(isHttpUrl, 'must be an absolute http: or https: URL, e.g. https://generativelanguage.googleapis.com').optional(),
  apiVersion: z
    .string()
    .regex(/^[a-z0-9]+$/i, 'must be a path segment such as v1beta')
    .optional(),
  timeoutMs: z.number().positive('must be a positive number of milliseconds').max(MAX_TIMEOUT_MS).optional(),
  schemaDialect: z.enum(['json-schema', 'openapi'], { error: "must be 'json-schema' or 'openapi'" }).optional(),
  thinkingBudget: z
    .number({ error: 'must be an integer: -1 (dynamic), 0 (off) or a number of tokens' })
    .int('must be an integer: -1 (dynamic), 0 (off) or a number of tokens')
    .min(-1, 'must be -1 (dynamic), 0 (off) or a number of tokens')
    .optional(),
  name: z.string().min(1, 'must be a non-empty string').optional(),
  headers: headersSchema.optional(),
  fetch: z.custom<typeof fetch>((value) => typeof value === 'function', 'must be a function').optional(),
});

/**
 * Validates the options of `GeminiLLM` (every problem at once: unknown keys with the closest
 * valid one, bad values, conflicting credentials) and gathers its credentials.
 *
 * @throws {ConfigurationError} listing every problem; no secret appears in it.
 */
export function checkGeminiOptions(options: unknown): { options: GeminiLLMOptions; credentials: HttpCredentials } {
  const checked = checkOptions(geminiOptionsSchema, options, 'GeminiLLM');
  const parsed = checked.options;
  const credentials = parsed ? httpCredentials({ url: parsed.baseUrl ?? DEFAULT_BASE_URL, headers: parsed.headers, secrets: [parsed.apiKey] }) : undefined;
  const issues = [...checked.issues, ...(credentials?.issues ?? [])];
  if (issues.length > 0 || !parsed || !credentials) throw new ConfigurationError({ message: 'Invalid GeminiLLM options', issues });
  return { options: parsed, credentials };
}
