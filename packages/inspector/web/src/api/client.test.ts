import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient } from './client.js';

function recordingFetch(answer: () => Response | Promise<Response>) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ url: String(input), init: init ?? {} });
    return answer();
  }) as typeof globalThis.fetch;
  return { requests, fetch };
}

describe('the API client', () => {
  it('calls the API relative to the page, with the bearer token, ids encoded as one path segment', async () => {
    const { requests, fetch } = recordingFetch(() => Response.json({ ticket: null, events: [] }));
    const api = createApiClient({ base: 'https://ops.example/inspector/', token: () => 'tok', fetch });
    await api.ticket('a/b?c#d é');
    await api.tickets({ status: 'needs_human', cursor: 'abc=', limit: 5 });
    await api.replay('T 1');
    expect(requests.map((request) => request.url)).toEqual([
      'https://ops.example/inspector/api/tickets/a%2Fb%3Fc%23d%20%C3%A9',
      'https://ops.example/inspector/api/tickets?limit=5&status=needs_human&cursor=abc%3D',
      'https://ops.example/inspector/api/replay/T%201',
    ]);
    expect(requests[0]!.init.headers).toMatchObject({ authorization: 'Bearer tok', accept: 'application/json' });
    expect(requests[0]!.init).toMatchObject({ credentials: 'same-origin', cache: 'no-store' });
  });

  it('posts a decision as JSON, with the note only when there is one, and no token header without a token', async () => {
    const { requests, fetch } = recordingFetch(() => Response.json({ ticket: { status: 'resolved' } }));
    const api = createApiClient({ base: 'http://h/i/', token: () => null, fetch });
    await api.decide('T-1', 'approve', '  ok  ');
    await api.decide('T-1', 'release', '   ');
    expect(requests.map((request) => [request.url, request.init.method, request.init.body])).toEqual([
      ['http://h/i/api/approve/T-1', 'POST', '{"note":"ok"}'],
      ['http://h/i/api/release/T-1', 'POST', '{}'],
    ]);
    expect(requests[0]!.init.headers).toEqual({ accept: 'application/json', 'content-type': 'application/json' });
  });

  it('turns an error answer into an ApiError with its status, code and message, and a network failure too', async () => {
    const refused = createApiClient({
      base: 'http://h/',
      token: () => null,
      fetch: recordingFetch(() => Response.json({ error: { code: 'ticket_state', message: 'not awaiting approval' } }, { status: 409 })).fetch,
    });
    await expect(refused.decide('T', 'approve', '')).rejects.toMatchObject({ status: 409, code: 'ticket_state', message: 'not awaiting approval' });
    const html = createApiClient({
      base: 'http://h/',
      token: () => null,
      fetch: recordingFetch(() => new Response('<html>bad gateway</html>', { status: 502 })).fetch,
    });
    await expect(html.session()).rejects.toMatchObject({ status: 502, code: 'http_502' });
    const offline = createApiClient({
      base: 'http://h/',
      token: () => null,
      fetch: (async () => Promise.reject(new TypeError('fetch failed'))) as typeof fetch,
    });
    const error = await offline.session().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, code: 'network' });
  });
});
