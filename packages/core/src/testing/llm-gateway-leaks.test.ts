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
}

const here = dirname(fileURLToPath(import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'ticketflow-gateway-leaks-'));
let results: Map<string, AssertionResult[]>;

/** Runs the gateway tests on the reference and the leaking variants in a child vitest; returns its JSON report by adapter. */
async function runChildVitest(): Promise<Map<string, AssertionResult[]>> {
  const report = join(directory, 'report.json');
  const cli = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  const config = join(here, 'llm-gateway-leaks.vitest.config.ts');
  const child = spawn(process.execPath, [cli, 'run', '--config', config, '--reporter=json', `--outputFile=${report}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => child.on('close', () => resolve()).on('error', reject));
  let parsed: { testResults: { assertionResults: AssertionResult[] }[] };
  try {
    parsed = JSON.parse(readFileSync(report, 'utf8')) as typeof parsed;
  } catch (error) {
    throw new Error(`the child vitest run wrote no JSON report: ${stderr.slice(-2_000)}`, { cause: error });
  }
  const byAdapter = new Map<string, AssertionResult[]>();
  for (const assertion of parsed.testResults.flatMap((file) => file.assertionResults)) {
    const adapter = assertion.ancestorTitles[0]!.replace('LLM gateway conformance: ', '');
    byAdapter.set(adapter, [...(byAdapter.get(adapter) ?? []), assertion]);
  }
  return byAdapter;
}

const failed = (adapter: string, about: string) =>
  (results.get(adapter) ?? []).filter((test) => test.status === 'failed' && test.title.includes(about)).map((test) => test.title);

describe('the gateway conformance tests catch adapters that leak credentials', () => {
  beforeAll(async () => {
    results = await runChildVitest();
  }, 180_000);
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('O4 the reference adapter passes every gateway test', () => {
    const tests = results.get('reference') ?? [];
    expect(tests.length, 'the suite registered its tests').toBe(51);
    expect(tests.filter((test) => test.status !== 'passed').map((test) => test.title)).toEqual([]);
  });

  it('O4 an adapter that scrubs only its API key fails on gateway headers and URL userinfo, not on the key', () => {
    expect(failed('api-key-only', 'no gateway headers in the error').length).toBeGreaterThan(8);
    expect(failed('api-key-only', 'no URL userinfo in the error').length).toBeGreaterThan(8);
    expect(failed('api-key-only', 'no API key')).toEqual([]);
  });

  it('O4 an adapter that scrubs secrets only as written fails on their encodings', () => {
    expect(failed('raw-only', 'no API key in the error').length).toBeGreaterThanOrEqual(4);
    expect(failed('raw-only', 'no gateway headers in the error').length).toBeGreaterThanOrEqual(8);
  });

  it('O4 an adapter that keeps the raw body in the cause fails every error test', () => {
    for (const about of ['no API key in the error', 'no gateway headers in the error', 'no URL userinfo in the error'])
      expect(failed('cause', about).length, about).toBe(16);
  });
});
