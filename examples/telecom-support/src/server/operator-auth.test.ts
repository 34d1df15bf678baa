import { describe, expect, it } from 'vitest';
import { authenticateOperator, OperatorCredentials } from './operator-auth.js';

const credentials = new OperatorCredentials([
  { name: 'alice', token: 'alice-token-0123456789' },
  { name: 'alice', token: 'alice-rotated-token-9876543210' },
  { name: 'bob', token: 'bob-token-ABCDEFGHIJKLMNOP' },
]);
const withHeader = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } });

describe('authenticateOperator', () => {
  it('returns the identity of a valid bearer token, for every token of a name (rotation)', () => {
    expect(authenticateOperator(withHeader('Bearer alice-token-0123456789'), credentials)).toEqual({ ok: true, operator: { name: 'alice' } });
    expect(authenticateOperator(withHeader('Bearer alice-rotated-token-9876543210'), credentials)).toEqual({ ok: true, operator: { name: 'alice' } });
    expect(authenticateOperator(withHeader('BEARER   bob-token-ABCDEFGHIJKLMNOP  '), credentials)).toEqual({ ok: true, operator: { name: 'bob' } });
  });

  it('refuses a missing, malformed, truncated, extended or foreign token with 401 and a Bearer challenge', () => {
    const refusal = (header?: string) => {
      const result = authenticateOperator(withHeader(header), credentials);
      if (result.ok) throw new Error(`accepted ${header}`);
      return { status: result.error.status, code: result.error.code, challenge: result.error.headers?.['www-authenticate'] };
    };
    expect(refusal()).toEqual({ status: 401, code: 'operator_auth_required', challenge: 'Bearer realm="ticketflow-operator"' });
    expect(refusal('   ')).toMatchObject({ code: 'operator_auth_required' });
    for (const header of [
      'Bearer alice-token-012345678',
      'Bearer alice-token-01234567890',
      'Bearer ALICE-TOKEN-0123456789',
      'alice-token-0123456789',
      'Basic alice-token-0123456789',
      'Bearer alice-token-0123456789 bob',
      'Bearer',
      'Bearer bob-token-ABCDEFGHIJKLMNOP\u0000',
      'Token bob-token-ABCDEFGHIJKLMNOP',
    ]) {
      expect(refusal(header), header).toEqual({
        status: 401,
        code: 'operator_auth_invalid',
        challenge: 'Bearer realm="ticketflow-operator", error="invalid_token"',
      });
    }
  });

  it('is disabled, never open, without credentials', () => {
    const result = authenticateOperator(withHeader('Bearer anything-at-all-0123456789'), new OperatorCredentials([]));
    expect(result).toMatchObject({ ok: false, error: { status: 401, code: 'operator_auth_disabled' } });
  });

  it('compares digests, so a token of another length is refused without throwing', () => {
    expect(credentials.identify('')).toBeNull();
    expect(credentials.identify('x'.repeat(10_000))).toBeNull();
    expect(credentials.identify('bob-token-ABCDEFGHIJKLMNOP')).toEqual({ name: 'bob' });
  });
});
