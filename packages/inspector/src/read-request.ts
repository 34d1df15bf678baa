import type { FastifyRequest } from 'fastify';
import { HttpProblem } from './http-problem.js';

const STATUS_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
const MAX_STATUSES = 20;

/** A ticket page query: `?status=a,b&limit=&cursor=`. @throws {HttpProblem} 400 */
export function readListQuery(request: FastifyRequest, defaultLimit: number): { status?: string[]; limit: number; cursor?: string } {
  const query = request.query as Record<string, unknown>;
  const status = readStatuses(query.status);
  const limit = readInteger(query.limit, 'limit', defaultLimit, 1, 100);
  const cursor = query.cursor;
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor.length > 2_048)) {
    throw new HttpProblem(400, 'invalid_request', 'Query parameter "cursor" must be the cursor of the previous page.', { parameter: 'cursor' });
  }
  return { ...(status ? { status } : {}), limit, ...(cursor ? { cursor } : {}) };
}

function readStatuses(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  // `?status=a,b` or `?status=a&status=b`
  const parts = typeof raw === 'string' ? [raw] : Array.isArray(raw) && raw.every((part) => typeof part === 'string') ? (raw as string[]) : [];
  const statuses = parts.flatMap((part) => part.split(',')).map((status) => status.trim());
  if (statuses.length === 0 || statuses.length > MAX_STATUSES || !statuses.every((status) => STATUS_PATTERN.test(status))) {
    throw new HttpProblem(
      400,
      'invalid_request',
      'Query parameter "status" must be one status or a comma-separated list of them (e.g. needs_human,awaiting_approval).',
      { parameter: 'status' },
    );
  }
  return statuses;
}

/** An integer query parameter within bounds. @throws {HttpProblem} 400 */
export function readInteger(raw: unknown, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(Number.isSafeInteger(value) && value >= min && value <= max)) {
    throw new HttpProblem(400, 'invalid_request', `Query parameter "${name}" must be an integer from ${min} to ${max}.`, { parameter: name });
  }
  return value;
}

/** The largest page of events one request returns. */
export const MAX_EVENT_PAGE = 1_000;

/** An event range: `?after=<seq>&limit=<n>`, both optional (no limit: the whole log after `after`). @throws {HttpProblem} 400 */
export function readEventRange(request: FastifyRequest): { after?: number; limit?: number } {
  const query = request.query as Record<string, unknown>;
  const after = readInteger(query.after, 'after', 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = query.limit === undefined || query.limit === '' ? undefined : readInteger(query.limit, 'limit', MAX_EVENT_PAGE, 1, MAX_EVENT_PAGE);
  return { ...(after > 0 ? { after } : {}), ...(limit !== undefined ? { limit } : {}) };
}

/** The ticket id: the rest of the path (`/api/tickets/<id>`), decoded. @throws {HttpProblem} 400 */
export function readTicketId(request: FastifyRequest): string {
  const id = (request.params as { '*'?: unknown })['*'];
  if (typeof id !== 'string' || id.length === 0 || id.length > 1_024) {
    throw new HttpProblem(400, 'invalid_request', 'The ticket id must have 1 to 1,024 characters.');
  }
  return id;
}

/**
 * The body of approve / reject / release: nothing, or `{ note }`. `by` never comes from the
 * body: it is who `authorize` says the operator is. Only JSON is accepted, and only from
 * this site, so that another site cannot make an operator's browser approve (CSRF).
 * @throws {HttpProblem} 400, 403, 415
 */
export function readDecisionBody(request: FastifyRequest): { note?: string } {
  if (request.headers['sec-fetch-site'] === 'cross-site') {
    throw new HttpProblem(403, 'cross_site', 'Operator actions are accepted only from the inspector page itself.');
  }
  const contentType = request.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new HttpProblem(415, 'unsupported_media_type', 'Send the decision as JSON: {} or { "note": "…" }.');
  }
  const body = request.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new HttpProblem(400, 'invalid_request', 'The body must be a JSON object: {} or { "note": "…" }.');
  const { note, ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) {
    const hint = extra.includes('by') ? ' ("by" is who you are signed in as; it is not taken from the body)' : '';
    throw new HttpProblem(400, 'invalid_request', `Unknown field${extra.length > 1 ? 's' : ''} ${extra.map((key) => JSON.stringify(key)).join(', ')}${hint}.`);
  }
  if (note === undefined || note === null || note === '') return {};
  if (typeof note !== 'string' || note.length > 4_000) throw new HttpProblem(400, 'invalid_request', '"note" must be a string of at most 4,000 characters.');
  return { note };
}
