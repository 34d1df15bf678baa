import type { DecisionAnswer, Inspection, Queue, ReplayReport, Session, TicketPage } from './types.js';

/** An answer of the API that is not a success: `status` and the error's `code`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The operator's decision on a ticket. */
export type Verdict = 'approve' | 'reject' | 'release';

/** The calls the page makes. One instance per page, created with {@link createApiClient}. */
export interface ApiClient {
  session(): Promise<Session>;
  queues(limit?: number): Promise<{ queues: Queue[] }>;
  tickets(query: { status?: string; cursor?: string | null; limit?: number }): Promise<TicketPage>;
  ticket(id: string): Promise<Inspection>;
  decide(id: string, verdict: Verdict, note: string): Promise<DecisionAnswer>;
  replay(id: string): Promise<{ report: ReplayReport }>;
}

/**
 * A client of the inspector's API, relative to the page (`<prefix>/api/…`), sending the
 * operator's token when there is one.
 */
export function createApiClient(options: { base: string; token: () => string | null; fetch?: typeof fetch }): ApiClient {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
    const token = options.token();
    const headers: Record<string, string> = { accept: 'application/json', ...(init.headers as Record<string, string> | undefined) };
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await doFetch(new URL(path, options.base), { ...init, headers, credentials: 'same-origin', cache: 'no-store' });
    } catch {
      throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and retry.');
    }
    const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    if (!response.ok) {
      throw new ApiError(response.status, body?.error?.code ?? `http_${response.status}`, body?.error?.message ?? `The server answered ${response.status}.`);
    }
    return body as T;
  }
  const path = (what: string, id: string) => `api/${what}/${encodeURIComponent(id)}`;
  return {
    session: () => call('api/session'),
    queues: (limit = 10) => call(`api/queues?limit=${limit}`),
    tickets: ({ status, cursor, limit = 20 }) => {
      const query = new URLSearchParams({ limit: String(limit) });
      if (status) query.set('status', status);
      if (cursor) query.set('cursor', cursor);
      return call(`api/tickets?${query.toString()}`);
    },
    ticket: (id) => call(path('tickets', id)),
    decide: (id, verdict, note) =>
      call(path(verdict, id), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(note.trim() ? { note: note.trim() } : {}),
      }),
    replay: (id) => call(path('replay', id)),
  };
}
