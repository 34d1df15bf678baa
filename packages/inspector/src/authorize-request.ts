import type { FastifyRequest } from 'fastify';
import { HttpProblem } from './http-problem.js';
import type { AuthorizeFunction, InspectorAction } from './inspector-options.js';

/** Who is asking: `by` is null for a read-only viewer (`authorize` answered `true`). */
export interface Viewer {
  by: string | null;
}

const ACTIONS_THAT_CHANGE: ReadonlySet<InspectorAction> = new Set(['approve', 'reject', 'release']);
const REALM = 'Bearer realm="ticketflow inspector"';

/**
 * Asks the app's `authorize` and fails closed: `false` (or nothing) is 401 with a
 * `WWW-Authenticate` challenge; an answer that is neither a boolean nor `{ by }` with a
 * usable name is 403 and logged, since it is a bug in the app; a viewer without `by` may not
 * approve, reject or release (403 `read_only`).
 */
export async function authorizeRequest(
  authorize: AuthorizeFunction,
  request: FastifyRequest,
  action: InspectorAction,
  ticketId: string | null,
): Promise<Viewer> {
  const answer: unknown = await authorize(request, { action, ticketId });
  if (answer === true) {
    if (ACTIONS_THAT_CHANGE.has(action)) {
      throw new HttpProblem(
        403,
        'read_only',
        `Your access is read-only: to ${action} a ticket, authorize must answer { by } so that the decision is recorded with who made it.`,
      );
    }
    return { by: null };
  }
  if (answer === false || answer === undefined || answer === null) {
    throw new HttpProblem(401, 'unauthorized', 'The inspector needs an operator credential.', undefined, { 'www-authenticate': REALM });
  }
  const by = typeof answer === 'object' ? (answer as { by?: unknown }).by : undefined;
  if (typeof by !== 'string' || by.trim() === '' || by.length > 256) {
    request.log.error(
      { answer: typeof answer === 'object' ? Object.keys(answer) : typeof answer },
      'inspector: authorize must answer true, false or { by: "1–256 characters" }; refusing',
    );
    throw new HttpProblem(403, 'forbidden', 'The inspector could not establish who you are.');
  }
  return { by };
}
