import { ConfigurationError, TicketflowError } from '../errors/ticketflow-error.js';
import { escapeControls, parseCliArguments, UsageError, type CliArguments } from './cli-arguments.js';
import { runReplayCommand, type CliEnvironment } from './replay-command.js';
import { USAGE } from './usage.js';

/**
 * The `ticketflow` command: runs `argv` (the arguments after the program name) and returns
 * the exit code — 0 nothing diverged (or help), 1 something diverged, 2 the command could
 * not run, with the reasons on stderr.
 */
export async function runCli(argv: readonly string[], environment: CliEnvironment): Promise<number> {
  let parsed: CliArguments;
  try {
    parsed = parseCliArguments(argv);
  } catch (error) {
    report(error, environment);
    environment.stderr('Run ticketflow --help for the options.\n');
    return 2;
  }
  if (parsed.command === 'help') {
    environment.stdout(USAGE);
    return 0;
  }
  try {
    return await runReplayCommand(parsed, environment);
  } catch (error) {
    report(error, environment);
    return 2;
  }
}

function report(error: unknown, environment: CliEnvironment): void {
  environment.stderr(
    `${describeFailure(error)
      .map((line) => `ticketflow: ${printable(line)}`)
      .join('\n')}\n`,
  );
}

function describeFailure(error: unknown): string[] {
  if (error instanceof UsageError) return [...error.issues];
  if (ConfigurationError.isInstance(error)) return [`the definitions cannot be replayed: ${error.message}`];
  if (TicketflowError.isInstance(error)) return [`${error.message}`];
  return [`the replay failed: ${error instanceof Error ? error.message : String(error)}`];
}

/** A message line as the terminal should see it: controls escaped except newlines and tabs. */
function printable(text: string): string {
  return escapeControls(text).replace(/[\u0000-\u0008\u000b-\u001f]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
