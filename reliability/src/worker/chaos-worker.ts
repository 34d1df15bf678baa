/**
 * One chaos worker process: the telecom agent on the store under test, with faults
 * injected into its LLM and its backend, taking jobs from the driver over IPC. The driver
 * kills it with SIGKILL at will; nothing here cleans up on purpose beyond a polite `stop`.
 */
import { createStore, createTelecomAgent, createTelecomLLM, TelecomBackend } from '@ticketflow/example-telecom-support';
import { FaultInjectingLLM } from '../faults/fault-injecting-llm.js';
import { SeededRandom } from '../faults/seeded-random.js';
import { createToolFaultPlan } from '../faults/tool-fault-plan.js';
import { SqliteEffectLedger } from '../ledger/sqlite-effect-ledger.js';
import { runJob } from './run-job.js';
import type { DriverMessage, WorkerConfig, WorkerMessage } from './worker-protocol.js';

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
const instanceId = `${config.slot}.${config.incarnation}:${process.pid}`;
const send = (message: WorkerMessage) => {
  if (process.connected) process.send!(message);
};

const random = new SeededRandom(config.seed);
const ledger = new SqliteEffectLedger({
  filename: config.ledgerFile,
  worker: instanceId,
  onCall: (call) => {
    if (call.kind === 'run') send({ type: 'tool', operation: call.operation, key: call.key, result: call.result });
  },
});
const faultPlan = createToolFaultPlan({ rate: config.faults.toolRate, kinds: config.faults.toolKinds, undoRate: config.faults.undoRate, random: random.fork(1), onFault: (kind) => ledger.recordFault('tool', kind) });
const backend = new TelecomBackend({
  latencyMs: config.agent.backendLatencyMs,
  ledger,
  faultPlan: (call) => {
    if (call.kind === 'run') send({ type: 'tool', operation: call.operation, key: call.key, result: 'started' });
    return faultPlan(call);
  },
});
const llm = new FaultInjectingLLM(createTelecomLLM(), { rate: config.faults.llmRate, random: random.fork(2), onFault: (kind) => ledger.recordFault('llm', kind) });
const store = createStore(config.store, config.namespace);
const { agent } = createTelecomAgent({
  store,
  llm,
  backend,
  instanceId,
  leaseMs: config.agent.leaseMs,
  llmTimeoutMs: config.agent.llmTimeoutMs,
  toolTimeoutMs: config.agent.toolTimeoutMs,
  llmRetry: { retries: 2, minDelayMs: 5, maxDelayMs: 40, maxHintDelayMs: 500 },
  toolRetry: { minDelayMs: 5, maxDelayMs: 40 },
  // A short cool-down: turns of the offline LLM take about a millisecond, so a circuit open
  // for the default 30 s would turn the rest of a run into fallbacks.
  circuitBreaker: { failureThreshold: 5, cooldownMs: 50 },
});

process.on('message', (message: DriverMessage) => {
  if (message.type === 'stop') {
    void shutdown(0);
    return;
  }
  void runJob(agent, message.job).then(send);
});
process.on('disconnect', () => void shutdown(0));

async function shutdown(code: number): Promise<never> {
  try {
    await store.close();
    ledger.close();
  } finally {
    process.exit(code);
  }
}

send({ type: 'ready', instanceId });
