import { ConfigurationError, InvalidArgumentError, StoreError, TicketStateError } from '@ticketflow/core';
import { HttpProblem } from './http-problem.js';

const RETRY_AFTER_SECONDS = '2';

/**
 * Maps what the agent and Fastify throw to an answer of the inspector's API, or null for
 * an unexpected error, which goes on to the app's own error handler (it logs it and answers
 * as the app answers its own failures).
 */
export function mapError(error: unknown): HttpProblem | null {
  if (error instanceof HttpProblem) return error;
  if (TicketStateError.isInstance(error)) {
    return error.status === null
      ? new HttpProblem(404, 'ticket_not_found', 'There is no ticket with this id.')
      : new HttpProblem(409, 'ticket_state', error.message, { status: error.status });
  }
  // A list query the core refused came from this request's query string: a malformed request.
  if (InvalidArgumentError.isInstance(error) && error.argument === 'query')
    return new HttpProblem(400, 'invalid_request', error.message.replace(/^Invalid query: /, ''));
  if (InvalidArgumentError.isInstance(error)) return new HttpProblem(400, 'invalid_argument', error.message, { argument: error.argument });
  if (StoreError.isInstance(error)) return mapStoreError(error);
  // Caught at registration where possible; one found later (definitions changed since) is the app's to fix.
  if (ConfigurationError.isInstance(error))
    return new HttpProblem(500, 'configuration_error', `The inspector is misconfigured: ${error.message}`, { issues: [...error.issues] });
  return mapFastifyError(error);
}

function mapStoreError(error: StoreError): HttpProblem | null {
  switch (error.kind) {
    case 'unavailable':
      return new HttpProblem(503, 'store_unavailable', 'The ticket store does not answer; retry shortly.', undefined, { 'retry-after': RETRY_AFTER_SECONDS });
    case 'conflict':
      return new HttpProblem(409, 'ticket_busy', 'The ticket is being changed right now; retry shortly.', undefined, { 'retry-after': '1' });
    case 'invalid':
      return new HttpProblem(400, 'invalid_request', error.message.replace(/^\[[^\]]*\] /, ''));
    default:
      return null;
  }
}

/** Fastify's own 4xx (malformed JSON, body too large, unsupported media type). */
function mapFastifyError(error: unknown): HttpProblem | null {
  if (typeof error !== 'object' || error === null) return null;
  const { statusCode, code } = error as { statusCode?: unknown; code?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return null;
  const messages: Record<number, [string, string]> = {
    413: ['payload_too_large', 'The request body is too large.'],
    415: ['unsupported_media_type', 'Send JSON (content-type: application/json).'],
  };
  const [mapped, message] = messages[statusCode] ?? ['invalid_request', 'The request is malformed.'];
  return new HttpProblem(statusCode, mapped, message, typeof code === 'string' ? { reason: code } : undefined);
}
