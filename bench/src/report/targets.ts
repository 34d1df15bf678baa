import type { Measurement } from '../measure/measurement.js';
import type { GrowthResult } from '../scenarios/growth.js';
import type { GroupResult } from '../scenarios/store-group.js';

/** One target of the issue, checked on this run's numbers. */
export interface TargetResult {
  target: string;
  value: string;
  /** null: not checked (quick mode, or the row was skipped). */
  met: boolean | null;
}

export const CORE_OVERHEAD_TARGET_US = 50;
export const FLOOR_RATIO_TARGET = 0.85;
export const ROUND_TRIPS_TARGET = 2;
export const PEER_RATIO_TARGET = 10;
export const PROMPT_RATIO_TARGET = 1.5;
export const DOCUMENT_RATIO_TARGET = 1.05;

/** Median time of `handle` minus its floor's: on the memory store, the core's own cost per turn (µs). */
export function overheadUs(handle: Measurement | undefined, floor: Measurement | undefined): number | null {
  return handle && floor ? Math.round(handle.medianUs - floor.medianUs) : null;
}

/** Floor median / handle median: the share of the physical floor's speed that a turn keeps. */
export function floorRatio(handle: Measurement | undefined, floor: Measurement | undefined): number | null {
  return handle && floor && handle.medianUs > 0 ? Math.round((floor.medianUs / handle.medianUs) * 100) / 100 : null;
}

/** ticketflow turns/s over LangGraph turns/s. */
export function peerRatio(ticketflow: Measurement | undefined, peer: Measurement | undefined): number | null {
  return ticketflow && peer && peer.turnsPerSecond > 0 ? Math.round((ticketflow.turnsPerSecond / peer.turnsPerSecond) * 10) / 10 : null;
}

export function checkTargets(
  groups: readonly GroupResult[],
  growth: GrowthResult,
  checked: boolean,
  skipped: readonly { label: string; reason: string }[] = [],
): TargetResult[] {
  const results: TargetResult[] = [];
  for (const entry of skipped) results.push({ target: `${entry.label}: every store target`, value: 'skipped: the store did not answer', met: null });
  const verdict = (met: boolean) => (checked ? met : null);
  const memory = groups.find((group) => group.backend === 'memory');
  if (memory) {
    const m = memory.measurements;
    const core = (label: string, handle: Measurement | undefined, floor: Measurement | undefined, target: boolean) => {
      const value = overheadUs(handle, floor);
      if (value === null) return;
      results.push({
        target: target
          ? `core overhead ≤ ${CORE_OVERHEAD_TARGET_US} µs over the memory floor: ${label}`
          : `core overhead over the memory floor: ${label} (no target)`,
        value: `${value} µs`,
        met: target ? verdict(value <= CORE_OVERHEAD_TARGET_US) : null,
      });
    };
    core('ask turn', m.ask, m.askFloor, true);
    core('degraded turn (LLM call fails)', m.degraded, m.degradedFloor, true);
    core('degraded turn (circuit open)', m.degradedOpen, m.degradedOpenFloor, true);
    core(`execute turn (1 load + ${memory.executeWrites} writes)`, m.execute, m.executeFloor, false);
  }
  for (const group of groups) {
    const m = group.measurements;
    const ask = floorRatio(m.ask, m.askFloor);
    if (ask !== null)
      results.push({ target: `${group.label}: ask turn ≥ ${FLOOR_RATIO_TARGET} of its floor`, value: `${ask}`, met: verdict(ask >= FLOOR_RATIO_TARGET) });
    const execute = floorRatio(m.execute, m.executeFloor);
    if (execute !== null)
      results.push({ target: `${group.label}: execute turn against its ${group.executeWrites}-write floor (no target)`, value: `${execute}`, met: null });
    const calls = m.ask?.storeCallsPerTurn;
    if (calls !== undefined && group.callsLabel === 'round trips') {
      results.push({
        target: `${group.label}: ${ROUND_TRIPS_TARGET} round trips for a turn that does not execute`,
        value: `${calls}`,
        met: verdict(calls === ROUND_TRIPS_TARGET),
      });
    }
  }
  for (const group of groups) {
    const m = group.measurements;
    if ('missing' in group.peer) {
      results.push({
        target: `${group.label}: ≥ ${PEER_RATIO_TARGET}× LangGraph.js turns/s`,
        value: 'no LangGraph.js checkpointer here (see the note)',
        met: null,
      });
      continue;
    }
    for (const [kind, ours, theirs] of [
      ['ask', m.ask, m.peerAsk],
      ['execute', m.execute, m.peerExecute],
    ] as const) {
      const ratio = peerRatio(ours, theirs);
      if (ratio !== null)
        results.push({
          target: `${group.label}: ≥ ${PEER_RATIO_TARGET}× LangGraph.js turns/s (${kind})`,
          value: `${ratio}×`,
          met: verdict(ratio >= PEER_RATIO_TARGET),
        });
    }
  }
  results.push({
    target: `prompt at turn 200 ≤ ${PROMPT_RATIO_TARGET}× the prompt at turn 10`,
    value: `${growth.promptRatio200to10}×`,
    met: verdict(growth.promptRatio200to10 <= PROMPT_RATIO_TARGET),
  });
  results.push({
    target: `ticket document bounded (turn 200 ≤ ${DOCUMENT_RATIO_TARGET}× turn 100)`,
    value: `${growth.documentRatio200to100}×`,
    met: verdict(growth.documentRatio200to100 <= DOCUMENT_RATIO_TARGET),
  });
  return results;
}
