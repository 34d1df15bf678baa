import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineSlot, defineWorkflow, MemoryTicketStore, type ReplayReport, type TicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { createTestDomain } from '../../test/support/test-domain.js';
import { runCli } from './run-cli.js';

// The command in this process, against a stand-in adapter package installed in a scratch
// app (node_modules/@ticketflow/adapter-sqlite): it hands out the test's MemoryTicketStore,
// so the resolution of the app's adapter, the options it gets, the read-only use and the
// close are all observable. The real adapters are driven by the example's process test.

interface Handoff {
  store: TicketStore;
  opened: object[];
  closed: number;
  definitions: Record<string, unknown>;
}

const handoff = globalThis as unknown as { __ticketflowCliTest: Handoff };
let app: string;

const FAKE_ADAPTER = `export class SqliteTicketStore {
  constructor(options) {
    const test = globalThis.__ticketflowCliTest;
    test.opened.push(options);
    return { name: 'sqlite', load: (id) => test.store.load(id), events: (id, query) => test.store.events(id, query), list: (query) => test.store.list(query),
      commit: () => { throw new Error('the command must not write'); }, delete: () => { throw new Error('the command must not write'); }, purge: () => { throw new Error('the command must not write'); },
      close: async () => { test.closed += 1; } };
  }
}
`;

async function record(): Promise<{ store: MemoryTicketStore; domain: ReturnType<typeof createTestDomain> }> {
  const domain = createTestDomain();
  const store = new MemoryTicketStore();
  const llm = new MockLLM();
  const agent = createAgent({ store, llm, intents: domain.intents, workflows: domain.workflows, slots: domain.extraSlots });
  llm.enqueue(
    { intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber' } },
    { intent: null, confidence: 0, entities: { region: 'Hamburg' } },
  );
  await agent.handle({ ticketId: 'R-1', message: 'fiber is down', messageId: 'm-1' });
  await agent.handle({ ticketId: 'R-1', message: 'Hamburg', messageId: 'm-2' });
  return { store, domain };
}

async function run(argv: string[], env: Record<string, string> = {}, cwd = app) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { cwd, env, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

const replay = (...more: string[]) => ['replay', 'R-1', '--store', 'sqlite:./tickets.db', '--agent', './agent.mjs', ...more];

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'ticketflow-cli-'));
  const adapter = join(app, 'node_modules', '@ticketflow', 'adapter-sqlite');
  mkdirSync(adapter, { recursive: true });
  writeFileSync(
    join(adapter, 'package.json'),
    JSON.stringify({
      name: '@ticketflow/adapter-sqlite',
      type: 'module',
      exports: { '.': { import: { default: './index.mjs' } }, './package.json': './package.json' },
    }),
  );
  writeFileSync(join(adapter, 'index.mjs'), FAKE_ADAPTER);
  writeFileSync(join(app, 'tickets.db'), 'SQLite format 3\u0000');
  writeFileSync(join(app, 'agent.mjs'), 'export const { intents, workflows, slots } = globalThis.__ticketflowCliTest.definitions;\n');
  // Getters: a module is evaluated once per process, and each test gives its own definitions.
  writeFileSync(
    join(app, 'default-agent.mjs'),
    `const current = () => globalThis.__ticketflowCliTest.definitions;
export default { get intents() { return current().intents; }, get workflows() { return current().workflows; }, get slots() { return current().slots; } };
`,
  );
  writeFileSync(join(app, 'empty-agent.mjs'), 'export const something = 1;\n');
  writeFileSync(join(app, 'bad-agent.mjs'), 'export const intents = "no_internet"; export const workflows = [];\nexport const confidenceThreshold = "high";\n');
  writeFileSync(join(app, 'throwing-agent.mjs'), 'throw new Error("cannot reach the config server");\n');
});

afterAll(() => rmSync(app, { recursive: true, force: true }));

beforeEach(async () => {
  const { store, domain } = await record();
  handoff.__ticketflowCliTest = {
    store,
    opened: [],
    closed: 0,
    definitions: { intents: domain.intents, workflows: domain.workflows, slots: domain.extraSlots },
  };
});

describe('ticketflow replay (in process)', () => {
  it('exits 0 and prints SAME for every turn when the definitions replay the recording; the store is opened from the app, only read, and closed', async () => {
    const eventsBefore = await handoff.__ticketflowCliTest.store.events('R-1');
    const result = await run(replay('--namespace', 'support'));
    expect(result).toEqual({
      code: 0,
      stdout:
        'SAME  turn 1  message  ask region → ask region\nSAME  turn 2  message  execute fiber_troubleshoot (resolved) → execute fiber_troubleshoot (resolved)\nticket R-1: 2 operations replayed, all the same\n',
      stderr: '',
    });
    expect(handoff.__ticketflowCliTest.opened).toEqual([{ filename: join(app, 'tickets.db'), namespace: 'support' }]);
    expect(handoff.__ticketflowCliTest.closed).toBe(1);
    expect(await handoff.__ticketflowCliTest.store.events('R-1')).toEqual(eventsBefore);
  });

  it('exits 1 and names the divergent turn when a workflow changed; --json prints the whole report (default-export module)', async () => {
    const domain = createTestDomain();
    const changed = defineWorkflow({
      name: 'fiber_troubleshoot',
      intent: 'no_internet',
      when: (slots) => slots.service_type === 'fiber',
      required: [domain.slots.serviceType, domain.slots.region],
      run: async () => ({ status: 'escalated', reply: 'A technician will call you.' }),
    });
    handoff.__ticketflowCliTest.definitions = {
      intents: domain.intents,
      workflows: [changed, ...domain.workflows.filter((workflow) => workflow.name !== 'fiber_troubleshoot')],
      slots: domain.extraSlots,
    };
    const text = await run(['replay', 'R-1', '--store', 'sqlite:tickets.db', '--agent', 'default-agent.mjs']);
    expect(text.code).toBe(1);
    expect(text.stdout.split('\n')).toEqual([
      'SAME  turn 1  message  ask region → ask region',
      'DIFF  turn 2  message  execute fiber_troubleshoot (resolved) → execute fiber_troubleshoot (escalated) — different action; different tool calls: check_outage, reset_modem → none',
      'ticket R-1: 2 operations replayed, 1 the same, 1 different (turn 2)',
      '',
    ]);
    const json = await run(['replay', 'R-1', '--store', 'sqlite:tickets.db', '--agent', 'default-agent.mjs', '--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as ReplayReport;
    expect(report).toMatchObject({
      ticketId: 'R-1',
      diverged: true,
      turns: [
        { turn: 1, same: true },
        { turn: 2, same: false, replayed: { action: { type: 'execute', outcome: 'escalated' } } },
      ],
    });
    expect(handoff.__ticketflowCliTest.closed).toBe(2);
  });

  it('exits 2 for a ticket with no recorded events, naming the store and namespace, and still closes the store', async () => {
    const result = await run(['replay', 'R-404', '--store', 'sqlite:tickets.db', '--agent', 'agent.mjs', '--namespace', 'eu']);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `ticketflow: ticket "R-404" has no recorded events in sqlite:${join(app, 'tickets.db')} (namespace "eu"): check the id, --store and --namespace\n`,
    });
    expect(handoff.__ticketflowCliTest.closed).toBe(1);
  });

  it('exits 2 before opening the store when the key variable is unset or holds no key, never printing its value', async () => {
    expect(await run(replay('--key-env', 'APP_KEY'))).toEqual({
      code: 2,
      stdout: '',
      stderr: 'ticketflow: --key-env APP_KEY: the environment variable APP_KEY is not set\n',
    });
    const bad = await run(replay('--key-env', 'APP_KEY'), { APP_KEY: 'not-a-key-but-secret-text' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^ticketflow: --key-env: APP_KEY must be 32 bytes/);
    expect(bad.stderr).not.toContain('not-a-key-but-secret-text');
    expect(handoff.__ticketflowCliTest.opened).toEqual([]);
    const ok = await run(replay('--key-env', 'APP_KEY'), { APP_KEY: `${'ab'.repeat(32)}, ${Buffer.alloc(32, 7).toString('base64')}` });
    expect(ok.code).toBe(0);
  });

  it('exits 2 for a missing SQLite file or module (with the extension it probably meant) and for --schema on SQLite, never creating a file', async () => {
    expect((await run(['replay', 'R-1', '--store', 'sqlite:missing.db', '--agent', 'agent.mjs'])).stderr).toBe(
      `ticketflow: --store: there is no SQLite file at ${join(app, 'missing.db')} (the command only reads a store; it never creates one)\n`,
    );
    expect((await run(['replay', 'R-1', '--store', 'sqlite:tickets.db', '--agent', './agent'])).stderr).toBe(
      `ticketflow: --agent: there is no module at ${join(app, 'agent')} (did you mean ./agent.mjs?)\n`,
    );
    expect((await run(replay('--schema', 'ticketflow'))).stderr).toBe('ticketflow: --schema is for PostgreSQL stores; sqlite has no schemas\n');
    expect(handoff.__ticketflowCliTest.opened).toEqual([]);
  });

  it('exits 2 for a module without the definitions, with wrong types, or that throws — saying which', async () => {
    expect((await run(['replay', 'R-1', '--store', 'sqlite:tickets.db', '--agent', 'empty-agent.mjs'])).stderr).toBe(
      'ticketflow: --agent empty-agent.mjs must export intents and workflows (named exports, or a default export { intents, workflows, slots }); it exports something\n',
    );
    expect((await run(['replay', 'R-1', '--store', 'sqlite:tickets.db', '--agent', 'bad-agent.mjs'])).stderr).toBe(
      'ticketflow: --agent bad-agent.mjs: intents must be an array (of intents from defineIntent), got string\nticketflow: --agent bad-agent.mjs: confidenceThreshold must be a number, got string\n',
    );
    expect((await run(['replay', 'R-1', '--store', 'sqlite:tickets.db', '--agent', 'throwing-agent.mjs'])).stderr).toBe(
      'ticketflow: --agent throwing-agent.mjs could not be loaded: cannot reach the config server\n',
    );
  });

  it('exits 2 with the configuration problems when the definitions are invalid', async () => {
    handoff.__ticketflowCliTest.definitions = { intents: [], workflows: [{ name: 'orphan' }] };
    const result = await run(['replay', 'R-1', '--store', 'sqlite:tickets.db', '--agent', 'default-agent.mjs']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^ticketflow: the definitions cannot be replayed: /);
    expect(handoff.__ticketflowCliTest.closed).toBe(1);
  });

  it('exits 2 telling to pass --key-env when the definitions have sensitive slots and no key is given', async () => {
    const domain = createTestDomain();
    const pin = defineSlot({ name: 'pin', schema: z.string(), sensitive: true });
    handoff.__ticketflowCliTest.definitions = { intents: domain.intents, workflows: domain.workflows, slots: [...domain.extraSlots, pin] };
    const result = await run(['replay', 'R-1', '--store', 'sqlite:tickets.db', '--agent', 'default-agent.mjs']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/pass --key-env <NAME>/);
    // Other problems of the definitions are still shown beside the hint.
    handoff.__ticketflowCliTest.definitions = {
      intents: domain.intents,
      workflows: [...domain.workflows, { name: 'orphan' }],
      slots: [...domain.extraSlots, pin],
    };
    const both = await run(['replay', 'R-1', '--store', 'sqlite:tickets.db', '--agent', 'default-agent.mjs']);
    expect(both.stderr).toMatch(/pass --key-env <NAME>/);
    expect(both.stderr).toMatch(/the definitions cannot be replayed: .*workflow/);
  });

  it('prints the usage for --help and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: ticketflow replay <ticketId> --store <url> --agent <module>/);
  });
});
