import { describe, expect, it } from 'vitest';
import { parseCliArguments, UsageError } from './cli-arguments.js';

function issuesOf(argv: string[]): readonly string[] {
  try {
    parseCliArguments(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.issues;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('ticketflow command line', () => {
  it('reads replay with its options in any order, as --name value or --name=value', () => {
    expect(
      parseCliArguments(['replay', '--store=sqlite:./t.db', 'T-1', '--agent', './agent.js', '--json', '--key-env', 'APP_KEY', '--namespace', 'support']),
    ).toEqual({
      command: 'replay',
      ticketId: 'T-1',
      store: 'sqlite:./t.db',
      agent: './agent.js',
      json: true,
      keyEnv: 'APP_KEY',
      namespace: 'support',
    });
    expect(parseCliArguments(['replay', 'T-1', '--store', 'redis://localhost', '--agent', 'a.js'])).toEqual({
      command: 'replay',
      ticketId: 'T-1',
      store: 'redis://localhost',
      agent: 'a.js',
      json: false,
    });
  });

  it('takes a ticket id that starts with a dash after --, and keeps ids with spaces and unicode as given', () => {
    expect(parseCliArguments(['replay', '--store', 'sqlite:x', '--agent', 'a.js', '--', '-T 1'])).toMatchObject({ ticketId: '-T 1' });
    expect(parseCliArguments(['replay', '--store', 'sqlite:x', '--agent', 'a.js', '--', '--agent'])).toMatchObject({ ticketId: '--agent', agent: 'a.js' });
    expect(parseCliArguments(['replay', 'Tïcket 💬', '--store', 'sqlite:x', '--agent', 'a.js'])).toMatchObject({ ticketId: 'Tïcket 💬' });
  });

  it('answers help for --help or -h, wherever it is', () => {
    expect(parseCliArguments(['--help'])).toEqual({ command: 'help' });
    expect(parseCliArguments(['replay', 'T-1', '-h'])).toEqual({ command: 'help' });
  });

  it('names a misspelt option with the closest valid one, and takes its value along instead of calling it a stray argument', () => {
    expect(issuesOf(['replay', 'T-1', '--stroe', 'sqlite:x', '--agnet', 'a.js', '--jsno'])).toEqual([
      'unknown option "--stroe" (did you mean --store?)',
      'unknown option "--agnet" (did you mean --agent?)',
      'unknown option "--jsno" (did you mean --json?)',
      '--store is required: sqlite:<file>, postgres://… or redis://…',
      '--agent is required: the module exporting your intents and workflows',
    ]);
  });

  it('lists every problem at once: no ticket id, missing --store and --agent, a repeated option, a missing value', () => {
    expect(issuesOf(['replay', '--store', 'sqlite:a', '--store', 'sqlite:b', '--agent'])).toEqual([
      '--store is given twice',
      '--agent needs a value',
      'replay needs the ticket id: ticketflow replay <ticketId> --store <url> --agent <module>',
      '--agent is required: the module exporting your intents and workflows',
    ]);
    expect(issuesOf(['replay', 'T-1', 'T-2', '--store', '--agent', 'a.js'])).toEqual([
      '--store needs a value',
      'unexpected argument "T-2": replay takes one ticket id',
      '--store is required: sqlite:<file>, postgres://… or redis://…',
    ]);
    expect(issuesOf(['replay', 'T-1', '--store=', '--agent', 'a.js', '--json=yes', '-x'])).toEqual(
      expect.arrayContaining(['--store is empty', '--json takes no value', expect.stringMatching(/^unknown option "-x"/)]),
    );
  });

  it('refuses an unknown command with the closest one, and no command at all', () => {
    expect(issuesOf(['replya', 'T-1'])).toEqual(['unknown command "replya" (did you mean replay?); the commands are: replay']);
    expect(issuesOf(['frobnicate'])).toEqual(['unknown command "frobnicate"; the commands are: replay']);
    expect(issuesOf([])).toEqual(['a command is required: ticketflow replay <ticketId> --store <url> --agent <module>']);
  });

  it('never takes a key on the command line, and never echoes what was given to --key-env when it is not a variable name', () => {
    const key = 'a'.repeat(64);
    const issues = issuesOf(['replay', 'T-1', '--store', 'sqlite:x', '--agent', 'a.js', '--key', key]);
    expect(issues[0]).toMatch(/^--key does not exist: a key never goes on the command line .* --key-env NAME$/);
    expect(issues.join('\n')).not.toContain(key);
    const asName = issuesOf(['replay', 'T-1', '--store', 'sqlite:x', '--agent', 'a.js', '--key-env', key]);
    expect(asName).toEqual([expect.stringMatching(/^--key-env takes the NAME of an environment variable/)]);
    expect(asName.join('\n')).not.toContain(key);
    expect(issuesOf(['replay', 'T-1', '--store', 'sqlite:x', '--agent', 'a.js', '--key-env', 'x+y/z='])).toEqual([
      expect.stringMatching(/^--key-env takes the NAME/),
    ]);
  });

  it('quotes hostile arguments in its messages with terminal controls escaped', () => {
    const [issue] = issuesOf(['\u001b]0;pwned\u0007\u009b31m\u202ereplay']);
    expect(issue).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(issue).toContain('\\u001b');
    expect(issue).toContain('\\u202e');
  });
});
