import type { Agent, AgentOptions } from '@ticketflow/core';
import { createStore, createTelecomAgent, createTelecomLLM, TelecomBackend } from '@ticketflow/example-telecom-support';
import { FaultInjectingLLM } from '../faults/fault-injecting-llm.js';
import type { SeededRandom } from '../faults/seeded-random.js';
import { createToolFaultPlan } from '../faults/tool-fault-plan.js';
import type { SqliteEffectLedger } from '../ledger/sqlite-effect-ledger.js';
import { ChaosBackend } from '../procedures/chaos-backend.js';
import { createProcedureAgent } from '../procedures/create-procedure-agent.js';
import { createProcedureLLM } from '../procedures/procedure-llm.js';
import type { WorkerConfig, WorkerMessage } from './worker-protocol.js';

/** The agent of one worker process and what it must close on exit. */
export interface WorkerAgent {
  agent: Agent;
  close: () => Promise<void>;
}

/**
 * Builds a worker's agent on the store under test: the profile's domain, faults injected into
 * its LLM and its backend (every backend call reported to the driver as it starts), its own
 * clock skew (`now`), and the profile's agent settings.
 */
export function createWorkerAgent(
  config: WorkerConfig,
  instanceId: string,
  ledger: SqliteEffectLedger,
  random: SeededRandom,
  send: (message: WorkerMessage) => void,
): WorkerAgent {
  const faultPlan = createToolFaultPlan({
    rate: config.faults.toolRate,
    kinds: config.faults.toolKinds,
    undoRate: config.faults.undoRate,
    random: random.fork(1),
    onFault: (kind) => ledger.recordFault('tool', kind),
  });
  const reportingPlan: typeof faultPlan = (call) => {
    if (call.kind === 'run') send({ type: 'tool', operation: call.operation, key: call.key, result: 'started' });
    return faultPlan(call);
  };
  const store = createStore(config.store, config.namespace);
  const settings = config.agent;
  const skew = config.clockSkewMs;
  const options: Partial<AgentOptions> = {
    instanceId,
    leaseMs: settings.leaseMs,
    llmTimeoutMs: settings.llmTimeoutMs,
    llmRetry: { retries: 2, minDelayMs: 5, maxDelayMs: 40, maxHintDelayMs: 500 },
    toolRetry: { minDelayMs: 5, maxDelayMs: 40 },
    // A short cool-down: turns of the offline LLM take about a millisecond, so a circuit open
    // for the default 30 s would turn the rest of a run into fallbacks.
    circuitBreaker: { failureThreshold: 5, cooldownMs: 50 },
    ...(skew !== 0 ? { now: () => Date.now() + skew } : {}),
    ...(settings.messageIdWindow !== undefined ? { messageIdWindow: settings.messageIdWindow } : {}),
    ...(settings.inputTimeoutMs !== undefined ? { inputTimeoutMs: settings.inputTimeoutMs } : {}),
    ...(settings.approvalTimeoutMs !== undefined ? { approvalTimeoutMs: settings.approvalTimeoutMs } : {}),
  };
  const onFault = (kind: string) => ledger.recordFault('llm', kind);
  if (config.domain === 'procedures') {
    const backend = new ChaosBackend({ ledger, faultPlan: reportingPlan, latencyMs: settings.backendLatencyMs });
    const llm = new FaultInjectingLLM(createProcedureLLM(), { rate: config.faults.llmRate, random: random.fork(2), onFault });
    const { agent } = createProcedureAgent({ ...options, store, backend, llm, toolTimeoutMs: settings.toolTimeoutMs });
    return { agent, close: () => store.close() };
  }
  const backend = new TelecomBackend({ latencyMs: settings.backendLatencyMs, ledger, faultPlan: reportingPlan });
  const llm = new FaultInjectingLLM(createTelecomLLM(), { rate: config.faults.llmRate, random: random.fork(2), onFault });
  const { agent } = createTelecomAgent({ ...options, store, llm, backend, toolTimeoutMs: settings.toolTimeoutMs });
  return { agent, close: () => store.close() };
}
