import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { OperatorCredential } from '../config/parse-operator-tokens.js';
import { HttpError } from './http-error.js';

/** Who an operator request comes from. Recorded as `by` on approvals and releases. */
export interface OperatorIdentity {
  name: string;
}

/** The outcome of {@link authenticateOperator}. */
export type OperatorAuthResult = { ok: true; operator: OperatorIdentity } | { ok: false; error: HttpError };

/** The realm named in `WWW-Authenticate`. */
export const OPERATOR_REALM = 'ticketflow-operator';

/**
 * The operator credentials of a server, kept as SHA-256 digests: a presented token is
 * hashed and compared with every digest in constant time (`timingSafeEqual` on equal-length
 * digests), so neither the token's length nor the position of the first wrong character
 * nor which entry matched shows in the response time.
 */
export class OperatorCredentials {
  private readonly entries: { name: string; digest: Buffer }[];

  constructor(credentials: readonly OperatorCredential[]) {
    this.entries = credentials.map(({ name, token }) => ({ name, digest: digest(token) }));
  }

  /** False when no token is configured: operator routes are then disabled, never open. */
  get enabled(): boolean {
    return this.entries.length > 0;
  }

  /** The identity a token stands for, or null. */
  identify(token: string): OperatorIdentity | null {
    const presented = digest(token);
    let match: OperatorIdentity | null = null;
    for (const entry of this.entries) {
      // No early exit: every entry is compared whatever matched before.
      if (timingSafeEqual(presented, entry.digest) && match === null) match = { name: entry.name };
    }
    return match;
  }
}

/**
 * Authenticates an operator request from its `Authorization: Bearer <token>` header.
 * Reusable by any route or plugin (e.g. the inspector's `authorize` hook):
 *
 * @example
 * ```ts
 * const result = authenticateOperator(request, credentials);
 * if (!result.ok) throw result.error;          // 401 with WWW-Authenticate
 * await agent.approve(id, { by: result.operator.name });
 * ```
 */
export function authenticateOperator(request: Pick<FastifyRequest, 'headers'>, credentials: OperatorCredentials): OperatorAuthResult {
  if (!credentials.enabled) {
    return refuse('operator_auth_disabled', 'Operator routes are disabled on this server: set TICKETFLOW_OPERATOR_TOKEN to enable them.');
  }
  const header = request.headers.authorization;
  if (typeof header !== 'string' || header.trim() === '') {
    return refuse('operator_auth_required', 'This route is for operators: send Authorization: Bearer <operator token>.');
  }
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  const operator = match ? credentials.identify(match[1]!) : null;
  if (!operator) return refuse('operator_auth_invalid', 'The operator token is missing, malformed or not valid.', 'invalid_token');
  return { ok: true, operator };
}

/**
 * A Fastify `onRequest` hook for operator routes: refuses the request (401) unless it
 * carries a valid operator token, and puts the identity on `request.operator`.
 */
export function requireOperator(credentials: OperatorCredentials) {
  return async (request: FastifyRequest): Promise<void> => {
    const result = authenticateOperator(request, credentials);
    if (!result.ok) {
      request.log.warn({ code: result.error.code }, 'operator request refused');
      throw result.error;
    }
    request.operator = result.operator;
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated operator, on operator routes (set by {@link requireOperator}). */
    operator?: OperatorIdentity;
  }
}

function refuse(code: string, message: string, error?: 'invalid_token'): OperatorAuthResult {
  const challenge = `Bearer realm="${OPERATOR_REALM}"${error ? `, error="${error}"` : ''}`;
  return { ok: false, error: new HttpError(401, code, message, undefined, undefined, { 'www-authenticate': challenge }) };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
