import { dirname } from 'node:path';
import { ConfigurationError, InvalidArgumentError } from '../errors/ticketflow-error.js';
import type { StoredTicketEvent } from '../events/ticket-event-map.js';
import { checkEncryptionKeys } from '../privacy/encryption-keys.js';
import { replayTicket, type ReplayOptions, type ReplayReport } from '../replay/replay-ticket.js';
import { StoreError } from '../store/store-error.js';
import type { TicketStore } from '../store/ticket-store.js';
import { quoteArgument, UsageError, type ReplayArguments } from './cli-arguments.js';
import { formatReport } from './format-report.js';
import { agentFile, loadDefinitions } from './load-definitions.js';
import { openStore } from './open-store.js';
import { parseStoreSpec, type StoreSpec } from './store-spec.js';

/** Where the command runs and writes: the process's, or a test's. */
export interface CliEnvironment {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * `ticketflow replay`: checks the arguments, loads the definitions, opens the store (read
 * only), replays the ticket, prints the report, closes the store. Returns the exit code:
 * 0 when every operation went the same way, 1 when one differs.
 * @throws {UsageError} and the errors of the store or the definitions, for the caller to
 * report with exit code 2.
 */
export async function runReplayCommand(args: ReplayArguments, environment: CliEnvironment): Promise<number> {
  const spec = parseStoreSpec(args.store, environment.cwd);
  const encryptionKey = readKey(args.keyEnv, environment.env);
  const definitions = await loadDefinitions(args.agent, environment.cwd);
  const scope = { ...(args.namespace !== undefined ? { namespace: args.namespace } : {}), ...(args.schema !== undefined ? { schema: args.schema } : {}) };
  const store = await openStore({ spec, ...scope }, [environment.cwd, dirname(agentFile(args.agent, environment.cwd))]);
  try {
    const report = await replay(
      { ...definitions, store, ticketId: args.ticketId, ...(encryptionKey !== undefined ? { encryptionKey } : {}) },
      spec,
      args.namespace,
    );
    if (args.json) environment.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else environment.stdout(`${formatReport(report).join('\n')}\n`);
    if (report.diverged && encryptionKey === undefined && (await hasSealedValues(store, args.ticketId))) {
      environment.stderr(
        "ticketflow: this ticket holds values of sensitive slots sealed with the agent's key; without --key-env they cannot be replayed and their turns differ\n",
      );
    }
    return report.diverged ? 1 : 0;
  } finally {
    await store.close().catch(() => undefined);
  }
}

async function replay(options: ReplayOptions, spec: StoreSpec, namespace: string | undefined): Promise<ReplayReport> {
  try {
    return await replayTicket(options);
  } catch (error) {
    if (ConfigurationError.isInstance(error) && options.encryptionKey === undefined && error.issues.some((issue) => issue.includes('encryptionKey'))) {
      const others = error.issues.filter((issue) => !issue.includes('encryptionKey')).map((issue) => `the definitions cannot be replayed: ${issue}`);
      throw new UsageError([
        'the agent has sensitive slots: pass --key-env <NAME>, the environment variable holding its encryption key (never the key itself)',
        ...others,
      ]);
    }
    if (InvalidArgumentError.isInstance(error) && error.argument === 'ticketId') {
      const scope = namespace !== undefined ? ` (namespace ${quoteArgument(namespace)})` : '';
      throw new UsageError([
        `ticket ${quoteArgument(options.ticketId)} has no recorded events in ${spec.shown}${scope}: check the id, --store and --namespace`,
      ]);
    }
    if (StoreError.isInstance(error)) throw new UsageError([`could not read ticket ${quoteArgument(options.ticketId)} from ${spec.shown}: ${error.message}`]);
    throw error;
  }
}

/** The key(s) in the environment variable `--key-env` names: one key, or a comma list (newest first). */
function readKey(name: string | undefined, env: CliEnvironment['env']): string | string[] | undefined {
  if (name === undefined) return undefined;
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new UsageError([`--key-env ${name}: the environment variable ${name} is not set`]);
  const keys = value
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  const input = keys.length === 1 ? keys[0]! : keys;
  const issues = checkEncryptionKeys(input, name);
  if (issues.length > 0) throw new UsageError(issues.map((issue) => `--key-env: ${issue}`));
  return input;
}

async function hasSealedValues(store: TicketStore, ticketId: string): Promise<boolean> {
  const events = (await store.events(ticketId).catch(() => [])) as StoredTicketEvent[];
  return events.some((event) => event.type === 'decision.made' && Object.keys(event.data.sealedEntities ?? {}).length > 0);
}
