import { fileURLToPath } from 'node:url';
import { LONG_PROCEDURES, LONG_SOAK, PROCEDURES, SOAK } from '../chaos/chaos-profile.js';
import { STORE_KINDS, type StoreKind } from '../stores/store-targets.js';

/**
 * How the suite runs, from the environment (`test:chaos -- --long` sets the first):
 * - `TICKETFLOW_CHAOS_LONG=1`: the soak runs 10,000 turns per store instead of 400, the procedures 2,000 instead of 180;
 * - `TICKETFLOW_CHAOS_SEED`: the seed of faults, scripts and kills (default 20250601);
 * - `TICKETFLOW_CHAOS_STORES`: a comma list of stores (default all three).
 */
export const SUITE = (() => {
  const long = /^(1|true)$/i.test(process.env.TICKETFLOW_CHAOS_LONG ?? '');
  const requested = (process.env.TICKETFLOW_CHAOS_STORES ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const stores = requested.length === 0 ? STORE_KINDS : STORE_KINDS.filter((kind) => requested.includes(kind));
  return {
    mode: long ? ('long' as const) : ('default' as const),
    seed: Number(process.env.TICKETFLOW_CHAOS_SEED ?? 20_250_601),
    stores: stores as readonly StoreKind[],
    soak: long ? LONG_SOAK : SOAK,
    procedures: long ? LONG_PROCEDURES : PROCEDURES,
    handleRuns: long ? 1_000 : 150,
    parserRuns: long ? 20_000 : 3_000,
    httpRequests: long ? 50_000 : 5_000,
    resultsDirectory: fileURLToPath(new URL('../../results/runs', import.meta.url)),
  };
})();
