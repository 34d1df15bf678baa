import { describe, it } from 'vitest';
import type { EventsQuery } from '../../store/ticket-store.js';
import type { ConformanceContext } from './conformance-context.js';
import { commitOk, event, expectContract, expectStoreError, sampleTicket, shown } from './conformance-helpers.js';

/** DESIGN §5 `events`: seq order, `after` and `limit`, argument checks. */
export function describeEvents(context: ConformanceContext): void {
  const { test } = context;

  describe('events', () => {
    it('O1 pages through events with after and limit, in seq order', test, async () => {
      const store = await context.open();
      let version: number | null = null;
      for (let batch = 0; batch < 5; batch += 1) {
        version = await commitOk(store, 'T-page', version, sampleTicket('T-page', { batch }), [event(`e${batch * 2 + 1}`), event(`e${batch * 2 + 2}`)]);
      }
      const all = await store.events('T-page');
      expectContract(
        all.map((stored) => stored.seq),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        'DESIGN §5: events() without options returns every event in seq order',
      );
      const page = async (query: EventsQuery) => (await store.events('T-page', query)).map((stored) => stored.seq);
      expectContract(await page({ limit: 3 }), [1, 2, 3], 'DESIGN §5: limit returns at most that many events, from the first');
      expectContract(await page({ after: 3, limit: 4 }), [4, 5, 6, 7], 'DESIGN §5: after returns only events with seq > after');
      expectContract(await page({ after: 8 }), [9, 10], 'DESIGN §5: after without limit returns every later event');
      expectContract(await page({ after: 10 }), [], 'DESIGN §5: after the last seq there are no events');
      expectContract(await page({ after: 1_000, limit: 5 }), [], 'DESIGN §5: after beyond the last seq returns no events');
      expectContract(await store.events('T-page', { after: 0, limit: 100 }), all, 'DESIGN §5: after 0 with a large limit returns every event, whole');
    });

    it('O1 returns events whole: type, at and data as committed, plus seq', test, async () => {
      const store = await context.open();
      const data = { nested: { list: [1, null, 'x'], flag: false }, empty: {}, text: 'é' };
      await commitOk(store, 'T-whole', null, sampleTicket('T-whole', {}), [event('with.data', data), event('without.data')]);
      expectContract(
        await store.events('T-whole'),
        [
          { type: 'with.data', at: '2026-01-02T03:04:05.678Z', data, seq: 1 },
          { type: 'without.data', at: '2026-01-02T03:04:05.678Z', seq: 2 },
        ],
        'DESIGN §5: events returns each event whole ({ type, at, data? } plus seq)',
      );
    });

    it('§5 rejects invalid event queries with a StoreError of kind invalid', test, async () => {
      const store = await context.open();
      const bad: unknown[] = [
        { limit: 0 },
        { limit: -1 },
        { limit: 1.5 },
        { after: -1 },
        { after: Number.NaN },
        { after: '3' },
        { limit: Number.POSITIVE_INFINITY },
      ];
      for (const query of bad) {
        await expectStoreError(
          () => store.events('T-x', query as EventsQuery),
          'invalid',
          `DESIGN §5: events(id, ${shown(query)}) has an unusable after/limit`,
        );
      }
    });
  });
}
