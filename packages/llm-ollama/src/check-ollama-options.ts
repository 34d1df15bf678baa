import { ConfigurationError } from '@ticketflow/core';
import { checkOptions, httpCredentials, type HttpCredentials } from '@ticketflow/core/adapter';
import { z } from 'zod';
import type { OllamaLLMOptions } from './ollama-llm.js';

const DEFAULT_HOST = 'http://127.0.0.1:11434';
const MAX_TIMEOUT_MS = 2_147_483_647;

const NUMBER_OPTIONS = [
  'num_ctx',
  'num_batch',
  'num_gpu',
  'main_gpu',
  'num_thread',
  'num_keep',
  'seed',
  'num_predict',
  'top_k',
  'top_p',
  'min_p',
  'tfs_z',
  'typical_p',
  'repeat_last_n',
  'temperature',
  'repeat_penalty',
  'presence_penalty',
  'frequency_penalty',
  'mirostat',
  'mirostat_tau',
  'mirostat_eta',
] as const;
const BOOLEAN_OPTIONS = ['numa', 'low_vram', 'f16_kv', 'logits_all', 'vocab_only', 'use_mmap', 'use_mlock', 'embedding_only', 'penalize_newline'] as const;

/** The model options of the `ollama` client's `Options` type (`num_ctx`, `top_k`, `seed`, …), each with its type. */
export const ollamaModelOptionsSchema = z.object(
  Object.fromEntries([
    ...NUMBER_OPTIONS.map((name) => [name, z.number().optional()] as const),
    ...BOOLEAN_OPTIONS.map((name) => [name, z.boolean().optional()] as const),
    ['stop', z.array(z.string()).optional()] as const,
  ]) as Record<string, z.ZodOptional<z.ZodType>>,
);

/** Header names are HTTP tokens; values hold no CR, LF or NUL (fetch would refuse them, quoting the value in its error). */
const headersSchema = z
  .record(z.string(), z.string({ error: 'must be a string' }).regex(/^[^\r\n\0]*$/, 'must not contain CR, LF or NUL'))
  .superRefine((headers, context) => {
    for (const name of Object.keys(headers)) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) context.addIssue({ code: 'custom', path: [name], message: 'must be an HTTP header name' });
    }
  });

/**
 * True when the ollama client can send to `host`: the client reads `:11434` as
 * `http://127.0.0.1:11434` and a host without `://` as `http://…`, then parses it as a URL; only
 * http: and https: reach a server (anything else would fail every request, as a retryable outage).
 */
function isHttpHost(host: string): boolean {
  const url = host.startsWith(':') ? `http://127.0.0.1${host}` : host.includes('://') ? host : `http://${host}`;
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
}

/** {@link OllamaLLMOptions} as a zod schema: every key, its type and range. */
export const ollamaOptionsSchema = z.object({
  host: z
    .string()
    .superRefine((host, context) => {
      if (host.trim() === '') context.addIssue({ code: 'custom', message: 'must be a non-empty string, e.g. http://127.0.0.1:11434' });
      else if (!isHttpHost(host))
        context.addIssue({
          code: 'custom',
          message: 'must be an http: or https: URL such as http://127.0.0.1:11434 (or the short forms localhost:11434, :11434)',
        });
    })
    .optional(),
  model: z
    .string()
    .refine((model) => model.trim() !== '', 'must be a non-empty model name, e.g. phi3')
    .optional(),
  keepAlive: z.union([z.string().min(1), z.number()], { error: "must be a duration such as '10m' or a number of seconds (-1: forever)" }).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  timeoutMs: z.number().positive('must be a positive number of milliseconds').max(MAX_TIMEOUT_MS).optional(),
  headers: headersSchema.optional(),
  name: z.string().min(1, 'must be a non-empty string').optional(),
  fetch: z.custom<typeof fetch>((value) => typeof value === 'function', 'must be a function').optional(),
});

/**
 * Validates the options of `OllamaLLM` — every problem at once: unknown keys with the closest
 * valid one (also inside the model `options`: `num_ctxx` → `num_ctx`), bad values, conflicting
 * credentials — and gathers its credentials.
 *
 * @throws {ConfigurationError} listing every problem; no secret appears in it.
 */
export function checkOllamaOptions(options: unknown): { options: OllamaLLMOptions; credentials: HttpCredentials } {
  const checked = checkOptions(ollamaOptionsSchema, options === undefined ? {} : options, 'OllamaLLM');
  const parsed = checked.options as OllamaLLMOptions | undefined;
  // The model options are checked even when other options are wrong, so every problem shows at once.
  const given = typeof options === 'object' && options !== null && Object.hasOwn(options, 'options') ? (options as { options?: unknown }).options : undefined;
  const modelOptions =
    typeof given !== 'object' || given === null || Array.isArray(given)
      ? []
      : checkOptions(ollamaModelOptionsSchema, given, 'OllamaLLM options.options').issues.map((issue) => `options: ${issue}`);
  const credentials = parsed ? httpCredentials({ url: parsed.host ?? DEFAULT_HOST, headers: parsed.headers, urlOption: 'host' }) : undefined;
  const issues = [...checked.issues, ...modelOptions, ...(credentials?.issues ?? [])];
  if (issues.length > 0 || !parsed || !credentials) throw new ConfigurationError({ message: 'Invalid OllamaLLM options', issues });
  return { options: parsed, credentials };
}
