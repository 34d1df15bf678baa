import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, createApiClient, type ApiClient } from './api/client.js';
import { tokenStore } from './api/token-store.js';
import type { Session } from './api/types.js';
import { QueuesPage } from './queues/queues-page.js';
import { SignIn } from './sign-in.js';
import { TicketPage } from './ticket/ticket-page.js';

/** The page's routes, in the URL's hash: `#/` (queues) and `#/tickets/<id>`. */
export type Route = { page: 'queues' } | { page: 'ticket'; id: string };

export function parseRoute(hash: string): Route {
  const match = /^#\/tickets\/(.+)$/.exec(hash);
  if (match) {
    try {
      return { page: 'ticket', id: decodeURIComponent(match[1]!) };
    } catch {
      return { page: 'queues' };
    }
  }
  return { page: 'queues' };
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

type SessionState = { kind: 'loading' } | { kind: 'signed-out'; reason: string | null } | { kind: 'ready'; session: Session } | { kind: 'error'; text: string };

/** The inspector: asks who you are, then shows the queues or a ticket. */
export function App({ api: givenApi }: { api?: ApiClient }) {
  const api = useMemo(() => givenApi ?? createApiClient({ base: document.baseURI, token: tokenStore.get }), [givenApi]);
  const route = useRoute();
  const [state, setState] = useState<SessionState>({ kind: 'loading' });

  const connect = useCallback(async () => {
    try {
      setState({ kind: 'ready', session: await api.session() });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setState({ kind: 'signed-out', reason: tokenStore.get() ? 'That credential was refused.' : null });
      else setState({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  }, [api]);
  useEffect(() => void connect(), [connect]);

  const onUnauthorized = useCallback((error: ApiError) => setState({ kind: 'signed-out', reason: error.message }), []);
  const signOut = () => {
    tokenStore.set(null);
    setState({ kind: 'signed-out', reason: 'Signed out.' });
  };
  useEffect(() => {
    if (state.kind === 'ready') document.title = `${route.page === 'ticket' ? `${route.id} · ` : ''}${state.session.title}`;
  }, [state, route]);

  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(click) => {
          click.preventDefault();
          const main = document.getElementById('main');
          main?.setAttribute('tabindex', '-1');
          main?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <a href="#/" class="brand">
          {state.kind === 'ready' ? state.session.title : 'ticketflow inspector'}
        </a>
        {state.kind === 'ready' && (
          <span class="who">
            {state.session.by ? `Signed in as ${state.session.by}` : 'Read-only access'}
            {tokenStore.get() && (
              <button type="button" class="link" onClick={signOut}>
                Sign out
              </button>
            )}
          </span>
        )}
      </header>
      {state.kind === 'loading' && <p aria-busy="true">Loading…</p>}
      {state.kind === 'error' && (
        <main id="main">
          <p class="result error" role="alert">
            ✗ {state.text}
          </p>
          <button type="button" onClick={() => void connect()}>
            Retry
          </button>
        </main>
      )}
      {state.kind === 'signed-out' && (
        <SignIn
          reason={state.reason}
          onToken={(token) => {
            tokenStore.set(token);
            void connect();
          }}
        />
      )}
      {state.kind === 'ready' &&
        (route.page === 'ticket' ? (
          <TicketPage api={api} session={state.session} ticketId={route.id} onUnauthorized={onUnauthorized} />
        ) : (
          <QueuesPage api={api} session={state.session} onUnauthorized={onUnauthorized} />
        ))}
    </>
  );
}
