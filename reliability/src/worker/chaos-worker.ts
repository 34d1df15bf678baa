/**
 * One chaos worker process: the run's agent on the store under test, with faults injected
 * into its LLM and its backend and its own clock skew, taking jobs from the driver over IPC
 * (messages, approvals, sweeps, erasures). Between runs it is parked (store and ledger
 * closed) and configured again for the next one. The driver kills it with SIGKILL at will;
 * nothing here cleans up on purpose beyond a polite `park` or `stop`.
 */
import type { Agent } from '@ticketflow/core';
import { SeededRandom } from '../faults/seeded-random.js';
import { SqliteEffectLedger } from '../ledger/sqlite-effect-ledger.js';
import { runJob } from './run-job.js';
import { watchStalls } from './stall-watch.js';
import { createWorkerAgent } from './worker-agent.js';
import type { DriverMessage, WorkerConfig, WorkerMessage } from './worker-protocol.js';

const send = (message: WorkerMessage) => {
  if (process.connected) process.send!(message);
};

interface Session {
  agent: Agent;
  close: () => Promise<void>;
}

let session: Session | null = null;

function configure(config: WorkerConfig): void {
  const instanceId = `${config.slot}.${config.incarnation}:${process.pid}`;
  const ledger = new SqliteEffectLedger({
    filename: config.ledgerFile,
    worker: instanceId,
    onCall: (call) => {
      if (call.kind === 'run') send({ type: 'tool', operation: call.operation, key: call.key, result: call.result });
    },
  });
  const built = createWorkerAgent(config, instanceId, ledger, new SeededRandom(config.seed), send);
  session = {
    agent: built.agent,
    close: async () => {
      try {
        await built.close();
      } finally {
        ledger.close();
      }
    },
  };
  send({ type: 'ready', instanceId });
}

async function park(): Promise<void> {
  const current = session;
  session = null;
  await current?.close().catch(() => undefined);
}

process.on('message', (message: DriverMessage) => {
  switch (message.type) {
    case 'job':
      if (session) void runJob(session.agent, message.job).then(send);
      return;
    case 'park':
      void park().then(() => send({ type: 'parked' }));
      return;
    case 'configure':
      void park().then(() => configure(message.config));
      return;
    case 'stop':
      void park().finally(() => process.exit(0));
  }
});
// A stall — e.g. a busy wait on the shared ledger's lock held by a frozen process — stops
// this process's claim renewals as surely as a freeze: the driver records it as a stop.
watchStalls((stall) => send({ type: 'stalled', ...stall }));
process.on('disconnect', () => void park().finally(() => process.exit(0)));

configure(JSON.parse(process.argv[2] ?? '{}') as WorkerConfig);
