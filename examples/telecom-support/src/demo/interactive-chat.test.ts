import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const demo = fileURLToPath(new URL('../cli/demo.ts', import.meta.url));

/** Runs the terminal chat with these lines typed in, on a fresh SQLite file and the offline LLM. */
function chat(lines: string[]): string {
  const directory = mkdtempSync(join(tmpdir(), 'telecom-chat-'));
  const result = spawnSync(process.execPath, ['--import', 'tsx', demo, '--interactive'], {
    input: `${lines.join('\n')}\n`,
    env: { ...process.env, NO_COLOR: '1', TICKETFLOW_STORE: `sqlite:${join(directory, 'chat.db')}`, TICKETFLOW_LLM: 'mock' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

describe('terminal chat', () => {
  it('/release hands a needs_human ticket back to the agent, and says why when there is nothing to release', () => {
    const output = chat([
      '/new CHAT-RELEASE',
      '/release',
      'my fiber internet is down in Berlin',
      '/release',
      '/fail send_notification',
      '/fail issue_credit fail-compensation',
      'refund 20 euros please, I was charged twice. Business account',
      'yes',
      '/ticket',
      '/heal',
      '/release credit reversed by hand',
      '/ticket',
      '/help',
      '/quit',
    ]);
    expect(output).toContain('error: ticket "CHAT-RELEASE" does not exist');
    expect(output).toContain('error: ticket "CHAT-RELEASE" does not need a human (status resolved)');
    expect(output).toContain('CHAT-RELEASE: status needs_human');
    expect(output).toMatch(/released CHAT-RELEASE: status (?!needs_human)\w+/);
    expect(output).toContain('/release [note]');
  }, 90_000);
});
