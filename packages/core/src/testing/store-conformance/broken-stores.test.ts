import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface AssertionResult {
  ancestorTitles: string[];
  title: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
  failureMessages: string[];
}

/** Tests each broken store must fail: the suite catches the rule it breaks. */
const MUST_FAIL: Record<string, string[]> = {
  'document-then-events': ['T3 readers polling load and events during commits always see a document with all its events, and no events without their document'],
  'events-without-document': [
    'T3 a stale version is a returned conflict that writes neither document nor events',
    'T6 50 racing commits on one version have exactly one winner',
    'T3 readers polling load and events during commits always see a document with all its events, and no events without their document',
  ],
  'wrong-ticket': ["T3 interleaved commits on two tickets keep each ticket's events under that ticket"],
  'no-incarnation': [
    'T3 a commit prepared before a delete never lands on a new ticket that reached the same version (incarnation)',
    'T3 the incarnation is checked with the version: same version, other incarnation is a conflict; same incarnation commits',
    'T2 a commit prepared before the backend lost its data never lands on a new ticket (incarnation)',
  ],
  'purges-busy': ['E7 purge never deletes a busy ticket (executing, awaiting approval, awaiting input) nor a recent one'],
  'offset-cursor': ['§5 paging while commits run never skips or repeats a ticket that did not change'],
  'lenient-values': [
    'T4 refuses unstorable values in the document as invalid, naming the JSON path, and changes nothing',
    'T4 refuses unstorable values in events as invalid, naming the JSON path, and changes nothing',
  ],
};

/** Tests every broken store still passes: the failures are the broken rule, not noise. */
const MUST_PASS = [
  'T3 creates with version 1 and loads a deep-equal document',
  'T1 keeps hostile ticket ids apart and intact',
  '§5 a cursor pages through every ticket once, in order',
];

const here = dirname(fileURLToPath(import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'ticketflow-broken-stores-'));
let results: Map<string, AssertionResult[]>;

/** Runs the exported suite on the reference and the broken stores in a child vitest; returns its JSON report by suite. */
async function runChildVitest(): Promise<Map<string, AssertionResult[]>> {
  const report = join(directory, 'report.json');
  const cli = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  const config = join(here, 'broken-stores.vitest.config.ts');
  const child = spawn(process.execPath, [cli, 'run', '--config', config, '--reporter=json', `--outputFile=${report}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CI: 'true' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => child.on('close', () => resolve()).on('error', reject));
  let parsed: { testResults: { assertionResults: AssertionResult[] }[] };
  try {
    parsed = JSON.parse(readFileSync(report, 'utf8')) as typeof parsed;
  } catch (error) {
    throw new Error(`the child vitest run wrote no JSON report: ${stderr.slice(-2_000)}`, { cause: error });
  }
  const bySuite = new Map<string, AssertionResult[]>();
  for (const file of parsed.testResults) {
    for (const assertion of file.assertionResults) {
      const suite = assertion.ancestorTitles[0]!.replace('TicketStore conformance: ', '');
      bySuite.set(suite, [...(bySuite.get(suite) ?? []), assertion]);
    }
  }
  return bySuite;
}

describe('the exported store conformance suite catches broken stores', () => {
  beforeAll(async () => {
    results = await runChildVitest();
  }, 180_000);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('T3 MemoryTicketStore, the reference, passes every test of the suite', () => {
    const reference = results.get('reference memory') ?? [];
    expect(reference.length, 'the suite registered its tests').toBeGreaterThan(40);
    expect(reference.filter((test) => test.status === 'failed').map((test) => `${test.title}: ${test.failureMessages[0]?.split('\n')[0]}`)).toEqual([]);
  });

  it.each(Object.entries(MUST_FAIL))('T3 the suite fails the broken store "%s" on the rule it breaks, and only there', (name, titles) => {
    const tests = results.get(`broken ${name}`) ?? [];
    const failed = tests.filter((test) => test.status === 'failed').map((test) => test.title);
    for (const title of titles) expect(failed, `the suite must fail "${name}" in: ${title}`).toContain(title);
    for (const title of MUST_PASS) expect(failed, `"${name}" breaks another rule: "${title}" must still pass`).not.toContain(title);
  });

  it('T3 every failure says what the contract requires and what the store did', () => {
    for (const [suite, tests] of results) {
      for (const test of tests.filter((candidate) => candidate.status === 'failed')) {
        const message = test.failureMessages[0] ?? '';
        expect(message, `${suite} / ${test.title}`).toMatch(/DESIGN (§5|T\d)/);
        expect(message, `${suite} / ${test.title}`).toMatch(/— (the store|it was|\d+ succeeded|a reader)/);
      }
    }
  });
});
