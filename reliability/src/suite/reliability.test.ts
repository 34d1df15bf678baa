import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryTicketStore } from '@ticketflow/core';
import { createStore } from '@ticketflow/example-telecom-support';
import { afterAll, describe, expect, it } from 'vitest';
import { runHandleProperty } from '../bad-input/handle-property.js';
import { runHttpFuzz } from '../bad-input/http-fuzz.js';
import { runParseDecisionProperty } from '../bad-input/parse-decision-property.js';
import { CRASH_RECOVERY, STORE_RESTART } from '../chaos/chaos-profile.js';
import { runChaos } from '../chaos/run-chaos.js';
import { killAllWorkers } from '../chaos/worker-pool.js';
import { formatBadInputSummary, formatStoreSummary } from '../report/format-summary.js';
import { RunResults } from '../report/run-results.js';
import { requireStore, storeConfigFor } from '../stores/store-targets.js';
import { expectCleanRun, expectProcedureCoverage, expectSoakCoverage } from './chaos-expectations.js';
import { SUITE } from './suite-settings.js';

const results = new RunResults(SUITE.mode, SUITE.seed);
const available = new Map(await Promise.all(SUITE.stores.map(async (kind) => [kind, await requireStore(kind)] as const)));
const log = (line: string) => console.log(line);
let http5xx = 0;

afterAll(() => {
  killAllWorkers();
  const lines = [
    ...SUITE.stores.filter((kind) => available.get(kind)).map((kind) => formatStoreSummary(kind, results.of(kind))),
    formatBadInputSummary(results.badInputs, http5xx),
  ];
  const file = results.write(SUITE.resultsDirectory, lines);
  console.log(`\n${lines.join('\n')}\n(results: ${file})`);
});

for (const kind of SUITE.stores) {
  describe.skipIf(!available.get(kind))(`reliability on ${kind}`, () => {
    const soak = SUITE.soak;
    it(
      `soak: ${soak.turns} turns by ${soak.workers} workers with skewed clocks on ${soak.tickets} shared tickets — LLM and tool faults, SIGKILLs, SIGSTOPs past the lease, erasures, T7 probes — settled by the sweepers alone (no final message pass)`,
      { timeout: soak.maxDurationMs + 120_000 },
      async () => {
        const report = await runChaos({ store: kind, profile: soak, seed: SUITE.seed, log });
        results.of(kind).soak = report;
        expectCleanRun(report, soak);
        expectSoakCoverage(report, soak);
      },
    );

    it(
      `T6 E4 E7 ${CRASH_RECOVERY.workers} workers on ${CRASH_RECOVERY.tickets} shared tickets, ${CRASH_RECOVERY.turns} turns: each message lands once, no tool runs twice, a worker killed mid-execution is recovered`,
      { timeout: CRASH_RECOVERY.maxDurationMs + 90_000 },
      async () => {
        const report = await runChaos({ store: kind, profile: CRASH_RECOVERY, seed: SUITE.seed + 1, log });
        results.of(kind).crashRecovery = report;
        expectCleanRun(report, CRASH_RECOVERY);
        expect(report.midExecutionKills.total).toBeGreaterThanOrEqual(1);
        expect(report.midExecutionKills.recovered).toBe(report.midExecutionKills.total);
      },
    );

    const procedures = SUITE.procedures;
    it(
      `E6 E7 procedures: ${procedures.turns} turns of procedures that ask and branch, parallel and caught calls, hostile tool output; workers killed mid-resume and after suspending; inputs expired by the sweepers`,
      { timeout: procedures.maxDurationMs + 120_000 },
      async () => {
        const report = await runChaos({ store: kind, profile: procedures, seed: SUITE.seed + 3, log });
        results.of(kind).procedures = report;
        expectCleanRun(report, procedures);
        expectProcedureCoverage(report);
      },
    );

    if (kind !== 'sqlite') {
      it(
        `T2 T3 ${kind === 'redis' ? 'a throwaway Redis without persistence SIGKILLed and started again empty' : 'every PostgreSQL backend of the run terminated'} every ~${STORE_RESTART.restartEvery} turns, mid-turn: no commit lands across lives, every acknowledged turn survives`,
        { timeout: STORE_RESTART.maxDurationMs + 90_000 },
        async () => {
          const report = await runChaos({ store: kind, profile: STORE_RESTART, seed: SUITE.seed + 4, log });
          results.of(kind).storeRestart = report;
          expectCleanRun(report, STORE_RESTART);
          expect(report.restarts).toBeGreaterThanOrEqual(2);
        },
      );
    }

    it(
      'bad input over handle (fast-check): only a decision or InvalidArgumentError, nothing changed on refusal, no tool or credit outside the rules',
      { timeout: 120_000 },
      async () => {
        const directory = mkdtempSync(join(tmpdir(), `ticketflow-bad-input-${kind}-`));
        const store = createStore(storeConfigFor(kind, directory), `bad-input-${SUITE.seed}-${Date.now().toString(36)}`);
        try {
          const report = await runHandleProperty({ store, numRuns: SUITE.handleRuns, seed: SUITE.seed });
          results.of(kind).badInputs.handle = report.calls;
          expect(report.refused).toBeGreaterThan(0);
          expect(report.toolCalls).toBeGreaterThan(0);
          if (kind !== 'sqlite') for (const ticketId of report.touched) await store.delete(ticketId).catch(() => undefined);
        } finally {
          await store.close();
          rmSync(directory, { recursive: true, force: true });
        }
      },
    );
  });
}

describe('bad input, store-independent', () => {
  it('handle on a memory store (fast-check)', { timeout: 60_000 }, async () => {
    const report = await runHandleProperty({ store: new MemoryTicketStore(), numRuns: SUITE.handleRuns * 2, seed: SUITE.seed + 2 });
    results.badInputs['handle-memory'] = report.calls;
    expect(report.refused).toBeGreaterThan(0);
  });

  it('parseDecision over random JSON, deep nesting, huge numbers and __proto__ keys (fast-check): no throw, no pollution', { timeout: 60_000 }, () => {
    const report = runParseDecisionProperty({ numRuns: SUITE.parserRuns, seed: SUITE.seed });
    results.badInputs.parser = report.cases;
    expect(report.accepted).toBeGreaterThan(0);
  });

  it(
    `HTTP fuzz of the example server: ${SUITE.httpRequests} seeded random requests, no 5xx, every error JSON with error.code`,
    { timeout: 300_000 },
    async () => {
      const report = await runHttpFuzz({ count: SUITE.httpRequests, seed: SUITE.seed });
      results.badInputs.http = report.requests;
      http5xx = Object.entries(report.byStatus)
        .filter(([status]) => Number(status) >= 500)
        .reduce((total, [, count]) => total + count, 0);
      expect(report.failures.slice(0, 20)).toEqual([]);
      expect(report.byStatus['200']).toBeGreaterThan(0);
    },
  );
});
