import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeListCursor, encodeListCursor, pageOfTickets } from './list-cursor.js';
import { StoreError } from './store-error.js';
import { canonicalTime, compareCodePoints, ticketIndexOf } from './ticket-index.js';
import { validateListQuery, validatePurgeOptions } from './validate-fleet-arguments.js';

function refusal(call: () => unknown): StoreError {
  try {
    call();
  } catch (error) {
    if (StoreError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a StoreError');
}

describe('list and purge arguments (the adapter kit)', () => {
  it('§5 normalises a list query: defaults, canonical times, statuses without duplicates, the cursor position', () => {
    expect(validateListQuery('memory', undefined)).toEqual({ statuses: null, updatedBefore: null, claimExpiredBefore: null, limit: 100, after: null });
    const cursor = encodeListCursor({ updatedAt: '2026-01-02T03:04:05.678Z', ticketId: 'T-1' });
    expect(
      validateListQuery('memory', {
        status: ['open', 'open', 'executing'],
        updatedBefore: '2026-01-02T05:04:05+02:00',
        claimExpiredBefore: '2026-01-02T03:04Z',
        limit: 1_000,
        cursor,
      }),
    ).toEqual({
      statuses: ['open', 'executing'],
      updatedBefore: '2026-01-02T03:04:05.000Z',
      claimExpiredBefore: '2026-01-02T03:04:00.000Z',
      limit: 1_000,
      after: { updatedAt: '2026-01-02T03:04:05.678Z', ticketId: 'T-1' },
    });
    expect(validateListQuery('memory', { cursor: null, status: undefined }).after).toBeNull();
  });

  it('§5 refuses a bad list query as invalid, suggesting the closest option for a misspelt one', () => {
    expect(refusal(() => validateListQuery('redis', { statuses: ['open'] } as never)).message).toBe(
      '[redis] unknown list query option "statuses" — did you mean "status"?',
    );
    for (const query of [
      { limit: 0 },
      { limit: 1_001 },
      { status: [] },
      { status: ['ok', 3] },
      { status: 'nul\u0000' },
      { updatedBefore: '2026-13-45T00:00:00Z' },
      { updatedBefore: 'Tue, 01 Jan 2026' },
      { cursor: 'abc' },
      'query',
    ]) {
      expect(refusal(() => validateListQuery('redis', query as never)).kind, JSON.stringify(query)).toBe('invalid');
    }
  });

  it('§5 a cursor round-trips and any other text is refused', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.string({ minLength: 1 }).filter((id) => !/[\u0000\uD800-\uDFFF]/.test(id)),
        (date, ticketId) => {
          const position = { updatedAt: date.toISOString(), ticketId };
          expect(decodeListCursor('memory', encodeListCursor(position))).toEqual(position);
        },
      ),
    );
    for (const text of [
      '',
      '!!!',
      Buffer.from('["tf1","2026-01-01","x"]').toString('base64url'),
      Buffer.from('["tf0","2026-01-01T00:00:00.000Z","x"]').toString('base64url'),
    ]) {
      expect(refusal(() => decodeListCursor('memory', text)).kind).toBe('invalid');
    }
  });

  it('§5 a page keeps limit rows and points after the last one', () => {
    const row = (ticketId: string) => ({ ticketId, version: 1, status: 'open', updatedAt: '2026-01-01T00:00:00.000Z', claimExpiresAt: null });
    expect(pageOfTickets([row('a'), row('b')], 2)).toEqual({ tickets: [row('a'), row('b')], cursor: null });
    const page = pageOfTickets([row('a'), row('b'), row('c')], 2);
    expect(page.tickets).toEqual([row('a'), row('b')]);
    expect(decodeListCursor('memory', page.cursor!)).toEqual({ updatedAt: '2026-01-01T00:00:00.000Z', ticketId: 'b' });
  });

  it('P3 purge options need an ISO before and a positive limit', () => {
    expect(validatePurgeOptions('memory', { before: '2026-01-01T00:00:00Z' })).toEqual({ before: '2026-01-01T00:00:00.000Z', limit: null });
    expect(validatePurgeOptions('memory', { before: '2026-01-01T00:00:00.000Z', limit: 5 })).toEqual({ before: '2026-01-01T00:00:00.000Z', limit: 5 });
    for (const options of [{}, { before: '' }, { before: '2026-01-01T00:00:00Z', limit: 0 }, { before: '2026-01-01T00:00:00Z', olderThanMs: 5 }, null]) {
      expect(refusal(() => validatePurgeOptions('memory', options as never)).kind, JSON.stringify(options)).toBe('invalid');
    }
  });
});

describe('ticketIndexOf and the list order', () => {
  it('§5 reads status, canonical updatedAt, claim and incarnation; legacy documents get a deterministic incarnation', () => {
    expect(
      ticketIndexOf({
        status: 'executing',
        updatedAt: '2026-01-02T04:04:05.678+01:00',
        incarnation: 'abc',
        execution: { leaseExpiresAt: Date.parse('2026-01-02T03:05:00.000Z') },
      }),
    ).toEqual({
      status: 'executing',
      updatedAt: '2026-01-02T03:04:05.678Z',
      claimExpiresAt: '2026-01-02T03:05:00.000Z',
      incarnation: 'abc',
    });
    expect(ticketIndexOf({ createdAt: '2025-01-01T00:00:00.000Z', updatedAt: 'garbage', execution: { leaseExpiresAt: 1e20 } })).toEqual({
      status: 'open',
      updatedAt: '1970-01-01T00:00:00.000Z',
      claimExpiresAt: '9999-12-31T23:59:59.999Z',
      incarnation: 'legacy:2025-01-01T00:00:00.000Z',
    });
    expect(ticketIndexOf(null).incarnation).toBe('legacy:');
  });

  it('§5 canonical times sort as text in time order', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        (a, b) => {
          const [left, right] = [canonicalTime(a.toISOString())!, canonicalTime(b.toISOString())!];
          expect(left < right ? -1 : left > right ? 1 : 0).toBe(Math.sign(a.getTime() - b.getTime()));
        },
      ),
    );
    expect(canonicalTime('+010000-01-01T00:00:00.000Z')).toBeUndefined();
  });

  it('§5 ticket ids tie-break in code point order, as UTF-8 bytes compare', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
      }),
    );
  });
});
