import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresTicketStore } from '@ticketflow/adapter-postgres';
import { RedisTicketStore } from '@ticketflow/adapter-redis';
import { SqliteTicketStore } from '@ticketflow/adapter-sqlite';
import { createSlotCipher, defaultRedact, type TicketStore } from '@ticketflow/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server/build-server.js';
import { CARELESS_HABITS, createPrivacyAgent, newEncryptionKey, type CarelessHabit, type PrivacyAgent } from './support/privacy-agent.js';
import { base64Cores, CARD, countMarker, describeFindings, EMAIL, findPersonalData, IBAN, PERSONAL_DATA } from './support/privacy-scan.js';
import { PG_URL, REDIS_URL, requireService, RUN_NAMESPACE } from './support/services.js';
import {
  canReadRelationFiles,
  connectRedis,
  createPgPool,
  postgresRelationFiles,
  postgresRows,
  redisKeys,
  redisValues,
  sqliteFiles,
  storeColumnsUncompressed,
  type PgPool,
  type RedisConnection,
  type StoreContent,
} from './support/store-contents.js';
import { operatorHeaders, TEST_OPERATOR } from './support/test-server.js';

/*
 * Issue 15 item 5 (P1, P2, P3): after a conversation that carries a card number, an IBAN and
 * an e-mail address — in customer messages and as `sensitive: true` slots a workflow passes to
 * its tools — none of them is in clear in the raw bytes of any store, the logs, the hook
 * payloads, the HTTP answers, `inspect` or the prompts of later turns; after `agent.erase`
 * nothing of the conversation is left.
 *
 * Out of scope, on purpose: PostgreSQL's WAL and Redis' AOF/RDB files (server files this test
 * cannot read portably; the adapters' READMEs say what erasure needs there). PostgreSQL's
 * table files are read with `pg_read_binary_file` when the test's role is a superuser (it is
 * on the test machine); otherwise only the rows are, and the suite says so.
 */

const pgAvailable = await requireService('postgres', PG_URL);
const redisAvailable = await requireService('redis', REDIS_URL);
const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;
const NAMESPACE = `${RUN_NAMESPACE}-privacy`;
const encryptionKey = newEncryptionKey();

/** A phrase of the erased conversation, in clear in its messages: found before erasure, gone after. */
const MARKER = `quokka${run}`;
/** A phrase of another ticket of the same store, which erasure must leave alone. */
const NEIGHBOUR = `wombat${run}`;

const CONVERSATION = [
  `Hello, I want to change how I pay my phone bill. The sticker on my router says ${MARKER}.`,
  `Sure: the new card is ${CARD.written[0]} and receipts go to ${EMAIL.written[0]}`,
  `For the direct debit please use ${IBAN.written[0]} (${MARKER})`,
  'yes, go ahead',
  `Thanks! To double-check: card ${CARD.written[1]}, IBAN ${IBAN.written[1]}, e-mail ${EMAIL.written[1]}. ${MARKER}`,
];

/** One store under test: how to open it again on the same data and how to read all it keeps. */
interface StoreUnderTest {
  name: string;
  available: boolean;
  open(): TicketStore;
  /** A store apart (own file or namespace) for the careless apps' tickets, scanned ticket by ticket. */
  openApart(): TicketStore;
  /** Everything the store keeps now. `closed`: the store was closed (SQLite's files after the last connection). */
  contents(): Promise<StoreContent[]>;
  /** The raw table files, where they can be read (PostgreSQL as a superuser); [] otherwise. */
  files?(): Promise<StoreContent[]>;
  /** Called once the first store instance exists (PostgreSQL: uncompressed columns). */
  prepare?(store: TicketStore): Promise<void>;
  /** What an operator runs after an erasure request, as the adapter's README says (PostgreSQL: VACUUM FULL). */
  afterErasure?(): Promise<void>;
  /** Removes what this file wrote (after every test of the file). */
  cleanup(): Promise<void>;
}

const root = mkdtempSync(join(tmpdir(), 'telecom-privacy-'));
const directory = join(root, 'main');
mkdirSync(directory);
const schema = `tf_privacy_${run}`;
let pool: PgPool | undefined;
let redis: RedisConnection | undefined;
let rawPostgresFiles = false;

beforeAll(async () => {
  if (pgAvailable) pool = createPgPool(PG_URL);
  if (redisAvailable) redis = await connectRedis(REDIS_URL);
});
afterAll(async () => {
  for (const subject of subjects) if (subject.available) await subject.cleanup();
  rmSync(root, { recursive: true, force: true });
});

const subjects: StoreUnderTest[] = [
  {
    name: 'sqlite',
    available: true,
    open: () => new SqliteTicketStore({ filename: join(directory, 'tickets.db'), namespace: NAMESPACE }),
    openApart: () => new SqliteTicketStore({ filename: join(root, 'apart.db'), namespace: NAMESPACE }),
    contents: async () => sqliteFiles(directory),
    cleanup: async () => {},
  },
  {
    name: 'postgres',
    available: pgAvailable,
    open: () => new PostgresTicketStore({ connectionString: PG_URL, namespace: NAMESPACE, schema }),
    openApart: () => new PostgresTicketStore({ connectionString: PG_URL, namespace: `${NAMESPACE}-apart`, schema }),
    contents: async () => postgresRows(pool!, schema),
    files: async () => (rawPostgresFiles ? postgresRelationFiles(pool!, schema) : []),
    prepare: async (store) => {
      await store.list({ limit: 1 }); // creates the schema and the tables
      rawPostgresFiles = await canReadRelationFiles(pool!);
      if (rawPostgresFiles) await storeColumnsUncompressed(pool!, schema);
      else console.warn(`\n⚠ privacy test: role of ${PG_URL} is not a superuser — PostgreSQL's raw table files are NOT scanned, only its rows.\n`);
    },
    afterErasure: async () => {
      const tables = (await pool!.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = $1`, [schema])).rows;
      for (const { name } of tables) await pool!.query(`VACUUM FULL "${schema}"."${name}"`);
    },
    cleanup: async () => {
      await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool?.end();
    },
  },
  {
    name: 'redis',
    available: redisAvailable,
    open: () => new RedisTicketStore({ url: REDIS_URL, namespace: NAMESPACE }),
    openApart: () => new RedisTicketStore({ url: REDIS_URL, namespace: `${NAMESPACE}-apart` }),
    // Every key of the namespace carries its hash tag `{<namespace>}` (the apart one has another).
    contents: async () => redisValues(redis!, `{${NAMESPACE}}`),
    cleanup: async () => {
      const keys = await redisKeys(redis!, NAMESPACE); // both namespaces: the apart one contains this name
      if (keys.length > 0) await redis!.sendCommand(['DEL', ...keys]);
      await redis!.close();
    },
  },
];

const markerCount = (contents: readonly StoreContent[], marker: string) => contents.reduce((sum, piece) => sum + countMarker(piece.content, marker), 0);

function expectClean(what: string, contents: readonly StoreContent[]): void {
  const findings = contents.flatMap((piece) => findPersonalData(piece.source, piece.content));
  expect(describeFindings(findings), `personal data in clear in ${what}`).toBe('');
}

/** A ticket as its store gives it back: the document and each event (the careless apps' tickets share their store). */
async function ticketRecords(store: TicketStore, ticketId: string): Promise<StoreContent[]> {
  const loaded = await store.load(ticketId);
  const events = await store.events(ticketId);
  return [
    { source: `stored document of ${ticketId}`, content: JSON.stringify(loaded) },
    ...events.map((event) => ({ source: `stored event ${(event as { seq?: number }).seq} ${event.type} of ${ticketId}`, content: JSON.stringify(event) })),
  ];
}

/** A conversation driven through the example's HTTP server, keeping every answer and every log line. */
class Session {
  readonly answers: StoreContent[] = [];
  readonly serverLog: string[] = [];
  app!: FastifyInstance;

  constructor(
    readonly subject: PrivacyAgent,
    readonly store: TicketStore,
  ) {}

  async start(): Promise<this> {
    this.app = await buildServer({
      agent: this.subject.agent,
      store: this.store,
      logger: { level: 'trace', stream: { write: (line: string) => void this.serverLog.push(line) } },
      operators: [TEST_OPERATOR],
    });
    await this.app.ready();
    return this;
  }

  async call(method: 'GET' | 'POST', url: string, body?: object, operator = false): Promise<any> {
    const response = await this.app.inject({ method, url, ...(body ? { payload: body } : {}), headers: operator ? operatorHeaders() : {} });
    this.answers.push({ source: `HTTP ${method} ${url} → ${response.statusCode}`, content: response.body });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  say(ticketId: string, message: string, index: number): Promise<any> {
    return this.call('POST', `/tickets/${ticketId}/messages`, { message, messageId: `${ticketId}-m${index}` });
  }

  /** Everything but the store: logs, hooks, HTTP answers, inspect, prompts before the current message. */
  async outsideTheStore(ticketIds: readonly string[]): Promise<StoreContent[]> {
    const { agent, llm, logLines, hookPayloads } = this.subject;
    for (const id of ticketIds) {
      await this.call('GET', `/tickets/${id}`);
      await this.call('GET', `/tickets/${id}/events`);
      await this.call('GET', `/inspector/api/tickets/${id}`, undefined, true);
    }
    await this.call('GET', '/tickets?limit=50', undefined, true);
    await new Promise((resolve) => setTimeout(resolve, 20)); // hooks are emitted after the turn resolves
    const inspections = await Promise.all(ticketIds.map(async (id) => ({ source: `agent.inspect(${id})`, content: JSON.stringify(await agent.inspect(id)) })));
    return [
      ...logLines.map((line, index) => ({ source: `agent logger line ${index + 1}`, content: line })),
      ...this.serverLog.map((line, index) => ({ source: `HTTP server log line ${index + 1}`, content: line })),
      ...hookPayloads.map((payload, index) => ({ source: `hook ${payload.hook} payload ${index + 1}`, content: payload.json })),
      ...this.answers,
      ...inspections,
      ...llm.calls.map((call) => ({
        source: `prompt of LLM call ${call.index} (before its current message)`,
        content: call.prompt.slice(0, call.prompt.lastIndexOf('<<<CUSTOMER_MESSAGE')),
      })),
    ];
  }
}

describe('P1 P2 the scanner', () => {
  it('P1 P2 finds each value in every form it searches for, and not in the masks or the sealed values', () => {
    for (const datum of PERSONAL_DATA) {
      const spellings = [datum.clear, ...datum.written];
      const hidden: (string | Uint8Array)[] = [
        ...spellings.map((text) => `before ${text} after`),
        `{"note":${JSON.stringify(datum.clear).replace(/[@+.0-9]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}}`,
        encodeURIComponent(`to=${datum.clear}`),
        `x${datum.clear.split('').join('\u0000')}x`,
        Buffer.from(`\u0000${datum.written[0]}\u0001`, 'utf16le'),
        Buffer.from(`{"v":"${datum.clear}"}`).toString('hex'),
        ...[0, 1, 2].map((shift) => Buffer.from(`${'#'.repeat(shift)}${datum.written[0]} and more text`).toString('base64')),
        Buffer.from(`payload: ${datum.clear}`).toString('base64url'),
      ];
      for (const content of hidden) expect(findPersonalData('probe', content).length, `${datum.kind} in ${String(content)}`).toBeGreaterThan(0);
      expect(base64Cores(datum.clear).length).toBeGreaterThan(0);
    }
    // More than the last four digits is a finding: a truncated number keeping the first eight.
    expect(findPersonalData('probe', 'card 5425 2334 **** 9903')).not.toEqual([]);
    expect(findPersonalData('probe', 'IBAN DE89 3704 0044 **** ****')).not.toEqual([]);
    expect(findPersonalData('probe', 'hello Marta Kowalski')).not.toEqual([]);
    // What P1 and P2 leave behind is not: masks, redacted messages, sealed values.
    const cipher = createSlotCipher(encryptionKey);
    const clean = [
      ...PERSONAL_DATA.flatMap((datum) => [datum.slotMask, datum.messageMask, cipher.encrypt(datum.clear, { ticketId: 'T-1', slot: 'x' })]),
      ...CONVERSATION.map((message) => defaultRedact(message)),
    ].join('\n');
    expect(describeFindings(findPersonalData('probe', clean))).toBe('');
    expect(describeFindings(findPersonalData('probe', Buffer.from(clean)))).toBe('');
  });
});

describe.each(subjects)('P1 P2 P3 personal data in the raw contents of $name', (subject) => {
  const ticketId = `privacy-${subject.name}-${run}`;
  const neighbourId = `neighbour-${subject.name}-${run}`;
  let store: TicketStore | undefined;

  beforeAll(async () => {
    if (!subject.available) return;
    store = subject.open();
    await subject.prepare?.(store);
  });
  afterAll(async () => {
    await store?.close();
  });

  it.skipIf(!subject.available)(`P1 P2 a conversation with a card number, an IBAN and an e-mail leaves none of them in clear (${subject.name})`, async () => {
    const privacy = createPrivacyAgent({ store: store!, encryptionKey });
    const session = await new Session(privacy, store!).start();
    await session.say(neighbourId, `My fiber internet is down since this morning, the router shows ${NEIGHBOUR}`, 1);
    await session.say(neighbourId, 'Berlin', 2);
    const answers: any[] = [];
    for (const [index, message] of CONVERSATION.entries()) answers.push(await session.say(ticketId, message, index + 1));

    // The conversation did what it says: the workflow ran and got the clear values (P1).
    expect(answers[2].action).toMatchObject({ type: 'ask', slot: 'confirm' });
    for (const datum of PERSONAL_DATA) expect(answers[2].reply, 'the confirmation shows the masks').toContain(datum.slotMask);
    expect(answers[3].action).toMatchObject({ type: 'execute', workflow: 'update_payment_method', outcome: 'resolved' });
    expect(privacy.gateway.registrations[0]).toEqual({ card: CARD.clear, iban: IBAN.clear, email: EMAIL.clear });
    expect(privacy.gateway.receipts[0]?.to).toBe(EMAIL.clear);
    expect(privacy.gateway.attempts).toBe(2); // one failed attempt, retried
    // The masks are what is shown (P1), and the LLM read the raw current message (P2).
    const view = (await privacy.agent.getTicket(ticketId))!;
    expect(view.slots).toMatchObject({ card_number: { value: CARD.slotMask }, iban: { value: IBAN.slotMask }, billing_email: { value: EMAIL.slotMask } });
    expect(privacy.llm.calls.some((call) => call.message === CONVERSATION[1])).toBe(true);

    const outside = await session.outsideTheStore([ticketId, neighbourId]);
    await session.app.close();
    expect(outside.some((piece) => piece.source.startsWith('agent logger'))).toBe(true);
    expectClean('the logs, hooks, HTTP answers, inspect and prompts', outside);

    const live = await subject.contents();
    if (subject.name === 'sqlite')
      expect(statSync(join(directory, 'tickets.db-wal')).size, 'the WAL holds the conversation, not yet checkpointed').toBeGreaterThan(0);
    expect(markerCount(live, MARKER), 'the scan reads the stored conversation (its marker phrase is there)').toBeGreaterThan(0);
    for (const datum of PERSONAL_DATA) {
      expect(markerCount(live, datum.messageMask), `the stored messages show ${datum.messageMask}`).toBeGreaterThan(0);
      expect(markerCount(live, datum.slotMask), `the stored slot shows ${datum.slotMask}`).toBeGreaterThan(0);
    }
    expect(live.filter((piece) => piece.source.includes('unread type')).map((piece) => piece.source)).toEqual([]);
    expectClean(`${subject.name} (store open)`, live);
    const files = (await subject.files?.()) ?? [];
    if (files.length > 0) {
      expect(markerCount(files, MARKER), 'the raw table files hold the conversation as text').toBeGreaterThan(0);
      expectClean(`${subject.name} table files`, files);
    }
    await store!.close();
    store = undefined;
    const closed = await subject.contents();
    expect(markerCount(closed, MARKER)).toBeGreaterThan(0);
    expectClean(`${subject.name} (store closed)`, closed);
  });

  it.skipIf(!subject.available)(`P3 agent.erase leaves nothing of the conversation in ${subject.name}`, async () => {
    store ??= subject.open();
    const { agent } = createPrivacyAgent({ store, encryptionKey });
    expect(await agent.getTicket(ticketId), 'the conversation is there to erase').not.toBeNull();
    await agent.erase(ticketId);
    expect(await agent.getTicket(ticketId)).toBeNull();
    expect(await agent.getTicket(neighbourId)).not.toBeNull();

    const after = await subject.contents();
    expect(markerCount(after, NEIGHBOUR), 'the other ticket is still there (the scan still reads the store)').toBeGreaterThan(0);
    expect(markerCount(after, MARKER), 'the erased conversation left text behind').toBe(0);
    expect(
      after.filter((piece) => countMarker(piece.content, ticketId) > 0).map((piece) => piece.source),
      'pieces still naming the erased ticket',
    ).toEqual([]);
    expectClean(`${subject.name} after erasure`, after);
    if (subject.files) {
      await subject.afterErasure?.();
      const files = await subject.files();
      if (files.length > 0) {
        expect(markerCount(files, NEIGHBOUR)).toBeGreaterThan(0);
        expect(markerCount(files, MARKER), 'the erased conversation is in the table files after VACUUM FULL').toBe(0);
        expectClean(`${subject.name} table files after erasure`, files);
      }
    }
    await store.close();
    store = undefined;
    const closed = await subject.contents();
    expect(markerCount(closed, MARKER)).toBe(0);
    expect(markerCount(closed, NEIGHBOUR)).toBeGreaterThan(0);
    expectClean(`${subject.name} after erasure (store closed)`, closed);
  });
});

/**
 * Careless apps and models: each habit on its own ticket, in a store apart, scanned through
 * the store's own API (document and events), the logs, the hooks, the HTTP answers and
 * `inspect`. The conversations run in `beforeAll`, so a conversation that goes wrong fails the
 * suite; each test only scans. The engine neutralises every habit: a tool error or a
 * provider error quoting a value (masked, redacted), values returned as `data` or reshaped
 * for a tool (masked in any case and spacing), values a model files under another slot
 * (refused there, masked in the recorded decision), and the reply `handle()` returns.
 */

interface CarelessRun {
  answers: any[];
  privacy: PrivacyAgent;
  outside: StoreContent[];
  stored: StoreContent[];
}

describe.each(subjects)('P1 P2 careless apps and models on $name', (subject) => {
  const runs = new Map<CarelessHabit | 'reply', CarelessRun>();
  let store: TicketStore | undefined;

  async function converse(habit: CarelessHabit | undefined, label: string): Promise<CarelessRun> {
    const privacy = createPrivacyAgent({ store: store!, encryptionKey, ...(habit ? { habit } : {}) });
    const session = await new Session(privacy, store!).start();
    const ticketId = `${label}-${subject.name}-${run}`;
    const answers: any[] = [];
    for (const [index, message] of CONVERSATION.entries()) answers.push(await session.say(ticketId, message, index + 1));
    const outcome = habit === 'tool-failure-echoes-value' ? 'failed' : 'resolved';
    expect(answers[3].action, `habit ${habit}`).toMatchObject({ type: 'execute', workflow: 'update_payment_method', outcome });
    const outside = await session.outsideTheStore([ticketId]);
    await session.app.close();
    return { privacy, answers, outside, stored: await ticketRecords(store!, ticketId) };
  }

  beforeAll(async () => {
    if (!subject.available) return;
    store = subject.openApart();
    for (const habit of CARELESS_HABITS) runs.set(habit, await converse(habit, habit));
    runs.set('reply', await converse(undefined, 'reply'));
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  for (const habit of CARELESS_HABITS) {
    it.skipIf(!subject.available)(`P1 P2 an app whose habit is "${habit}" leaves no personal data in clear (${subject.name})`, () => {
      const { outside, stored } = runs.get(habit)!;
      expectClean(`${subject.name}, habit ${habit}`, [...stored, ...outside]);
    });
  }

  it.skipIf(!subject.available)(`P1 the reply is stored masked: transcript, turn.completed event, processed-message record (${subject.name})`, () => {
    const { stored } = runs.get('reply')!;
    expect(markerCount(stored, EMAIL.messageMask)).toBeGreaterThan(0);
    expectClean(`${subject.name}, stored reply`, stored);
  });

  it.skipIf(!subject.available)(
    `P1 the reply handle() returns and the turn.completed hook payload show masks, as the stored transcript does (${subject.name})`,
    () => {
      const { answers, privacy } = runs.get('reply')!;
      const hooks = privacy.hookPayloads
        .filter((payload) => payload.hook === 'turn.completed')
        .map((payload, index) => ({ source: `hook turn.completed payload ${index + 1}`, content: payload.json }));
      expectClean(`${subject.name}, reply of handle() and of the turn.completed hook`, [
        { source: 'handle() reply of the executing turn', content: String(answers[3].reply) },
        ...hooks,
      ]);
    },
  );
});
