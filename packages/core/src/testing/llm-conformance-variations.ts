import type { LLMErrorKind } from '../llm/llm-error.js';
import { API_KEY_PLACEHOLDER, type LoopbackBehaviour, type RecordedExchange } from './loopback-llm-server.js';

/** A wire failure the HTTP suite generates for every adapter, and the kind it must map to. */
export interface GeneratedVariation {
  name: string;
  behaviour: LoopbackBehaviour;
  /** `malformed-answer`: the adapter's declared kind for a 200 that is not a provider answer. */
  expected: LLMErrorKind | 'malformed-answer';
  /** The retry hint the adapter derives when it honours `Retry-After`. */
  retryAfterMs?: number;
}

const respond = (exchange: RecordedExchange): LoopbackBehaviour => ({ type: 'respond', exchange });

const BAD_GATEWAY_PAGE = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>
`;

/**
 * Failures that are not in any provider's fixtures but happen in front of every provider:
 * proxies, gateways, crashed runtimes, bodies that echo the key. Mapped by status and
 * structure: 5xx and lost connections are `unavailable`, 401/403 `auth`, 429
 * `rate_limited` (with `Retry-After`), a 200 that is no provider answer the adapter's choice.
 */
export function generatedVariations(success: RecordedExchange): GeneratedVariation[] {
  const html = { 'content-type': 'text/html; charset=utf-8' };
  const text = { 'content-type': 'text/plain; charset=utf-8' };
  const json = { 'content-type': 'application/json; charset=utf-8' };
  return [
    { name: 'an HTML 502 page from a proxy', behaviour: respond({ status: 502, headers: html, body: BAD_GATEWAY_PAGE }), expected: 'unavailable' },
    { name: 'a 500 with a plain-text body', behaviour: respond({ status: 500, headers: text, body: 'Internal Server Error' }), expected: 'unavailable' },
    { name: 'a 503 with an empty body', behaviour: respond({ status: 503, headers: text, body: '' }), expected: 'unavailable' },
    {
      name: 'a 504 gateway timeout page',
      behaviour: respond({ status: 504, headers: html, body: '<html><body>504 Gateway Time-out</body></html>' }),
      expected: 'unavailable',
    },
    {
      name: 'a 500 whose text echoes the API key',
      behaviour: respond({
        status: 500,
        headers: text,
        body: `upstream failed for key ${API_KEY_PLACEHOLDER} at https://upstream.invalid/v1?key=${API_KEY_PLACEHOLDER}`,
      }),
      expected: 'unavailable',
    },
    {
      name: 'a 400 whose JSON echoes the API key',
      behaviour: respond({
        status: 400,
        headers: json,
        body: JSON.stringify({ error: `invalid request for key ${API_KEY_PLACEHOLDER}`, message: API_KEY_PLACEHOLDER }),
      }),
      expected: 'invalid_request',
    },
    { name: 'a 401 from an authenticating proxy', behaviour: respond({ status: 401, headers: text, body: 'Unauthorized' }), expected: 'auth' },
    { name: 'a 403 with an HTML body', behaviour: respond({ status: 403, headers: html, body: '<html><body>Forbidden</body></html>' }), expected: 'auth' },
    {
      name: 'a 429 with only a Retry-After header',
      behaviour: respond({ status: 429, headers: { ...text, 'retry-after': '7' }, body: 'Too Many Requests' }),
      expected: 'rate_limited',
      retryAfterMs: 7_000,
    },
    { name: 'a 200 with an empty body', behaviour: respond({ status: 200, headers: json, body: '' }), expected: 'malformed-answer' },
    {
      name: 'a 200 with truncated JSON',
      behaviour: respond({ status: 200, headers: json, body: success.body.slice(0, Math.floor(success.body.length / 2)) }),
      expected: 'malformed-answer',
    },
    {
      name: 'a 200 with an HTML page (captive portal)',
      behaviour: respond({ status: 200, headers: html, body: '<html><body>Sign in to the Wi-Fi</body></html>' }),
      expected: 'malformed-answer',
    },
    { name: 'a 200 with an empty JSON object', behaviour: respond({ status: 200, headers: json, body: '{}' }), expected: 'malformed-answer' },
    { name: 'a 200 cut off mid-body (connection lost)', behaviour: { type: 'cut', exchange: success }, expected: 'unavailable' },
    { name: 'a connection closed before any answer (runtime crashed)', behaviour: { type: 'destroy' }, expected: 'unavailable' },
  ];
}

/**
 * A JSON Schema as `z.toJSONSchema` emits it for a ticketflow decision: `$schema`,
 * `additionalProperties: false`, a nullable enum as `anyOf` with `null`, bounds, and a
 * `type` array. The shapes providers are known to choke on.
 */
export const DECISION_JSON_SCHEMA: Record<string, unknown> = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    intent: { anyOf: [{ type: 'string', enum: ['no_internet', 'billing_dispute'] }, { type: 'null' }] },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    entities: {
      type: 'object',
      properties: {
        region: { type: 'string', minLength: 2 },
        postcode: { type: ['string', 'null'] },
        confirm: { type: 'boolean' },
      },
      additionalProperties: false,
    },
  },
  required: ['intent', 'confidence', 'entities'],
  additionalProperties: false,
};
