import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { ID_REGEX } from './schemas.js';

/**
 * The logger of the request being served, for code that runs inside an agent call (hook
 * listeners, the agent's own logger): their lines then carry the request id and ticket id.
 */
export const requestLoggers = new AsyncLocalStorage<FastifyBaseLogger>();

/** A caller's `X-Request-Id` when it is a safe token, else a fresh UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && ID_REGEX.test(given) ? given : randomUUID();
}

/** `{ ticketId }` for a `[/v1]/tickets/:id…` URL (decoded, clipped to 128 characters), else `{}`. */
export function ticketBindingOf(url: string | undefined): { ticketId?: string } {
  const match = /^(?:\/v1)?\/tickets\/([^/?#]+)/.exec(url ?? '');
  if (!match) return {};
  let id = match[1]!;
  try {
    id = decodeURIComponent(id);
  } catch {
    // keep it encoded: a bad escape is answered 400 anyway
  }
  return { ticketId: id.slice(0, 128) };
}
