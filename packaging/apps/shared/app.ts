// The app a new user writes after `npm install`: a small domain, an agent on the mock LLM,
// first on the in-memory store and then on a real adapter (SQLite), two turns each. The same
// file is compiled once as CommonJS (apps/cjs) and once as ESM (apps/esm).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  ConfigurationError,
  createAgent,
  defineIntent,
  defineSlot,
  defineTool,
  defineWorkflow,
  MemoryTicketStore,
  type TicketStore,
  type TurnResult,
} from '@ticketflow/core';
import { validateTicketId } from '@ticketflow/core/adapter';
import { runScenario } from '@ticketflow/core/testing';
import { PostgresTicketStore } from '@ticketflow/adapter-postgres';
import { RedisTicketStore } from '@ticketflow/adapter-redis';
import { SqliteTicketStore } from '@ticketflow/adapter-sqlite';
import { GeminiLLM } from '@ticketflow/llm-gemini';
import { MockLLM } from '@ticketflow/llm-mock';
import { OllamaLLM } from '@ticketflow/llm-ollama';

const region = defineSlot({ name: 'region', schema: z.string().min(2), question: 'Which city are you in?' });
const noInternet = defineIntent({ name: 'no_internet', description: 'Internet does not work at all' });
const checkOutage = defineTool({
  name: 'check_outage',
  input: z.object({ region: z.string() }),
  output: z.object({ outage: z.boolean() }),
  run: async ({ region: city }) => ({ outage: city === 'Berlin' }),
});
const troubleshoot = defineWorkflow({
  name: 'troubleshoot',
  intent: noInternet,
  required: [region],
  tools: [checkOutage],
  run: async (ctx) => {
    const { outage } = await ctx.call(checkOutage, { region: String(ctx.slots.region) });
    return { status: 'resolved', reply: outage ? 'There is an outage in Berlin.' : 'No outage found.' };
  },
});

function mockLLM(): MockLLM {
  return new MockLLM({
    rules: [{ match: /internet/i, intent: 'no_internet', confidence: 0.9 }],
    extractors: [{ slot: 'region', pattern: /\bin ([A-Z][a-z]+)/ }],
  });
}

function check(condition: boolean, what: string, result?: TurnResult): void {
  if (!condition) throw new Error(`${what}${result ? `: got ${JSON.stringify({ action: result.action, reply: result.reply })}` : ''}`);
}

/** Two turns on one ticket: the engine asks for the region, then runs the workflow. */
async function converse(store: TicketStore, label: string): Promise<void> {
  const agent = createAgent({ store, llm: mockLLM(), intents: [noInternet], workflows: [troubleshoot] });
  const asked = await agent.handle({ ticketId: 'T-1', message: 'My internet is down', messageId: 'm-1' });
  check(asked.action.type === 'ask' && asked.action.slot === 'region', `${label}: the first turn asks for the region`, asked);
  const executed = await agent.handle({ ticketId: 'T-1', message: 'I am in Berlin', messageId: 'm-2' });
  check(executed.action.type === 'execute' && executed.action.outcome === 'resolved', `${label}: the second turn runs the workflow`, executed);
  check(executed.reply === 'There is an outage in Berlin.', `${label}: the workflow's reply`, executed);
  const loaded = await store.load('T-1');
  check(loaded !== null, `${label}: the ticket is stored`);
}

async function main(): Promise<void> {
  await converse(new MemoryTicketStore(), 'memory');

  const directory = mkdtempSync(join(tmpdir(), 'ticketflow-scratch-'));
  try {
    const store = new SqliteTicketStore({ filename: join(directory, 'tickets.db') });
    await converse(store, 'sqlite');
    await store.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }

  // The testing entry drives an agent of this build (its errors are recognised by markers).
  const results = await runScenario(createAgent({ store: new MemoryTicketStore(), llm: mockLLM(), intents: [noInternet], workflows: [troubleshoot] }), 'T-2', [
    { say: 'no internet since this morning', expect: { action: { type: 'ask', slot: 'region' } } },
    { say: 'I live in Hamburg', expect: { action: { type: 'execute', outcome: 'resolved' }, reply: 'No outage found.' } },
  ]);
  check(results.length === 2, 'runScenario plays both steps');

  // Misconfiguration is a typed error; the adapter kit validates like the stores do.
  let configurationError: unknown;
  try {
    createAgent({ store: new MemoryTicketStore(), llm: mockLLM(), intents: [noInternet], workflows: 'troubleshoot' as never });
  } catch (error) {
    configurationError = error;
  }
  check(ConfigurationError.isInstance(configurationError), 'createAgent rejects a bad configuration with a ConfigurationError');
  check(typeof validateTicketId === 'function', '@ticketflow/core/adapter exports the adapter kit');

  // The other adapters load and construct without a server (they connect lazily or on use).
  const constructors = [PostgresTicketStore, RedisTicketStore, GeminiLLM, OllamaLLM];
  check(
    constructors.every((constructor) => typeof constructor === 'function'),
    'every adapter exports its class',
  );
  check(new OllamaLLM({ model: 'phi3' }) instanceof OllamaLLM, 'OllamaLLM constructs');
  check(new GeminiLLM({ apiKey: 'test-key' }) instanceof GeminiLLM, 'GeminiLLM constructs');

  // The other build of the core in the same process (an ESM app with a CommonJS plugin, or
  // the reverse): a second copy of the engine, whose errors and stores still work with this one.
  const other = await otherBuildOfCore();
  check(other.ConfigurationError !== ConfigurationError, 'the other build is a distinct copy of the core');
  let foreignError: unknown;
  try {
    other.createAgent({} as never);
  } catch (error) {
    foreignError = error;
  }
  check(ConfigurationError.isInstance(foreignError), "this build recognises the other build's ConfigurationError");
  await converse(new other.MemoryTicketStore(), "the other build's store");

  console.log(JSON.stringify({ ok: true, module: isCommonJs() ? 'commonjs' : 'esm' }));
}

function isCommonJs(): boolean {
  return typeof require === 'function' && typeof module === 'object';
}

type Core = typeof import('@ticketflow/core');

/**
 * The ESM build when this app is CommonJS, the CommonJS build when it is ESM. (Their types are
 * distinct too: a class with private members from one is not assignable to the other's.)
 */
async function otherBuildOfCore(): Promise<Core> {
  if (isCommonJs()) return (await import('@ticketflow/core')) as unknown as Core;
  return createRequire(join(process.cwd(), 'package.json'))('@ticketflow/core') as Core;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
