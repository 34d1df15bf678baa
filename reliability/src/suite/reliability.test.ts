import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryTicketStore } from '@ticketflow/core';
import { createStore } from '@ticketflow/example-telecom-support';
import { afterAll, describe, expect, it } from 'vitest';
import { runHandleProperty } from '../bad-input/handle-property.js';
import { runHttpFuzz } from '../bad-input/http-fuzz.js';
import { runParseDecisionProperty } from '../bad-input/parse-decision-property.js';
import { CRASH_RECOVERY } from '../chaos/chaos-profile.js';
import { runChaos } from '../chaos/run-chaos.js';
import { killAllWorkers } from '../chaos/worker-pool.js';
import { formatBadInputSummary, formatStoreSummary } from '../report/format-summary.js';
import { RunResults } from '../report/run-results.js';
import { requireStore, storeConfigFor } from '../stores/store-targets.js';
import { SUITE } from './suite-settings.js';

const results = new RunResults(SUITE.mode, SUITE.seed);
const available = new Map(await Promise.all(SUITE.stores.map(async (kind) => [kind, await requireStore(kind)] as const)));
const log = (line: string) => console.log(line);
let http5xx = 0;

afterAll(() => {
  killAllWorkers();
  const lines = [...SUITE.stores.filter((kind) => available.get(kind)).map((kind) => formatStoreSummary(kind, results.of(kind))), formatBadInputSummary(results.badInputs, http5xx)];
  const file = results.write(SUITE.resultsDirectory, lines);
  console.log(`\n${lines.join('\n')}\n(results: ${file})`);
});

for (const kind of SUITE.stores) {
  describe.skipIf(!available.get(kind))(`reliability on ${kind}`, () => {
    it(`soak: ${SUITE.soak.turns} turns by 4 worker processes on 50 shared tickets with LLM and tool faults and SIGKILLs; the history checks clean`, { timeout: SUITE.soak.maxDurationMs + 90_000 }, async () => {
      const report = await runChaos({ store: kind, profile: SUITE.soak, seed: SUITE.seed, log });
      results.of(kind).soak = report;
      expect(report.check.violations.slice(0, 20)).toEqual([]);
      expect(report.unexpectedExits).toEqual([]);
      expect(Object.keys(report.errors).filter((label) => label.includes('not retried'))).toEqual([]);
      expect(report.turns).toBe(SUITE.soak.turns);
      expect(report.crashes.length).toBeGreaterThanOrEqual(Math.floor(SUITE.soak.turns / SUITE.soak.killEvery / 2));
      expect(Object.keys(report.faults.llm).length).toBeGreaterThanOrEqual(8);
      expect(report.check.counts).toEqual({ lost: 0, duplicated: 0, corrupted: 0, uncompensated: 0, unsettled: 0 });
    });

    it('T6 E4 4 workers on 10 shared tickets, 200 turns: each message lands once, no tool runs twice, a worker killed mid-execution recovers', { timeout: CRASH_RECOVERY.maxDurationMs + 60_000 }, async () => {
      const report = await runChaos({ store: kind, profile: CRASH_RECOVERY, seed: SUITE.seed + 1, log });
      results.of(kind).crashRecovery = report;
      expect(report.check.violations.slice(0, 20)).toEqual([]);
      expect(report.unexpectedExits).toEqual([]);
      expect(report.turns).toBe(CRASH_RECOVERY.turns);
      expect(report.midExecutionKills.total).toBeGreaterThanOrEqual(1);
      expect(report.midExecutionKills.recovered).toBeGreaterThanOrEqual(1);
      expect(report.check.stats.recovered).toBeGreaterThanOrEqual(report.midExecutionKills.recovered);
    });

    it('bad input over handle (fast-check): only a decision or InvalidArgumentError, nothing changed on refusal, no tool or credit outside the rules', { timeout: 120_000 }, async () => {
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
    });
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

  it(`HTTP fuzz of the example server: ${SUITE.httpRequests} seeded random requests, no 5xx, every error JSON with error.code`, { timeout: 300_000 }, async () => {
    const report = await runHttpFuzz({ count: SUITE.httpRequests, seed: SUITE.seed });
    results.badInputs.http = report.requests;
    http5xx = Object.entries(report.byStatus).filter(([status]) => Number(status) >= 500).reduce((total, [, count]) => total + count, 0);
    expect(report.failures.slice(0, 20)).toEqual([]);
    expect(report.byStatus['200']).toBeGreaterThan(0);
  });
});
