import { closestName } from '../config/closest-name.js';

/** What `ticketflow replay` was asked to do. */
export interface ReplayArguments {
  command: 'replay';
  ticketId: string;
  /** `sqlite:<file>`, `postgres://…` or `redis://…`, as written. */
  store: string;
  /** Path of the module exporting the definitions, as written (relative to the working directory). */
  agent: string;
  json: boolean;
  /** Name of the environment variable holding the encryption key(s). */
  keyEnv?: string;
  namespace?: string;
  /** PostgreSQL schema of the tables. */
  schema?: string;
}

/** The parsed command line: a command to run, or a request for help. */
export type CliArguments = ReplayArguments | { command: 'help' };

/** A command line that cannot run: every problem found, one sentence each. */
export class UsageError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(issues.join('\n'));
    this.name = 'UsageError';
    this.issues = issues;
  }
}

const COMMANDS = ['replay'] as const;
const VALUE_OPTIONS = ['store', 'agent', 'key-env', 'namespace', 'schema'] as const;
const FLAG_OPTIONS = ['json', 'help'] as const;
const OPTION_NAMES = [...VALUE_OPTIONS, ...FLAG_OPTIONS];
type ValueOption = (typeof VALUE_OPTIONS)[number];

/** Options that must never exist: secrets on a command line end up in `ps` and shell history. */
const SECRET_OPTIONS = new Set(['key', 'encryption-key', 'encryptionkey', 'password', 'secret', 'token']);

interface Scanned {
  positionals: string[];
  values: Partial<Record<ValueOption, string>>;
  flags: Set<string>;
  issues: string[];
}

/**
 * Reads `ticketflow <command> …` (the arguments after the program name). Options come as
 * `--name value` or `--name=value`, in any order around the positionals; `--` ends the
 * options (for a ticket id starting with `-`).
 * @throws {UsageError} listing every problem: unknown command or option (with the closest
 * valid one), a missing or repeated value, a missing ticket id, `--store` or `--agent`.
 */
export function parseCliArguments(argv: readonly string[]): CliArguments {
  const scanned = scan(argv);
  if (scanned.flags.has('help')) return { command: 'help' };
  const { positionals, values, flags, issues } = scanned;
  const [command, ticketId, ...extra] = positionals;
  if (command === undefined) throw new UsageError(['a command is required: ticketflow replay <ticketId> --store <url> --agent <module>']);
  if (!(COMMANDS as readonly string[]).includes(command)) {
    const guess = closestName(command, COMMANDS);
    throw new UsageError([`unknown command ${quoteArgument(command)}${guess ? ` (did you mean ${guess}?)` : ''}; the commands are: ${COMMANDS.join(', ')}`]);
  }
  if (ticketId === undefined || ticketId === '') issues.push('replay needs the ticket id: ticketflow replay <ticketId> --store <url> --agent <module>');
  for (const argument of extra) issues.push(`unexpected argument ${quoteArgument(argument)}: replay takes one ticket id`);
  if (values.store === undefined) issues.push('--store is required: sqlite:<file>, postgres://… or redis://…');
  if (values.agent === undefined) issues.push('--agent is required: the module exporting your intents and workflows');
  if (values['key-env'] !== undefined) checkKeyEnv(values['key-env'], issues);
  if (issues.length > 0) throw new UsageError(issues);
  return {
    command: 'replay',
    ticketId: ticketId!,
    store: values.store!,
    agent: values.agent!,
    json: flags.has('json'),
    ...(values['key-env'] !== undefined ? { keyEnv: values['key-env'] } : {}),
    ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
    ...(values.schema !== undefined ? { schema: values.schema } : {}),
  };
}

function scan(argv: readonly string[]): Scanned {
  const scanned: Scanned = { positionals: [], values: {}, flags: new Set(), issues: [] };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    if (argument === '--') {
      scanned.positionals.push(...argv.slice(index + 1));
      break;
    }
    if (argument === '-h') scanned.flags.add('help');
    else if (argument.startsWith('--')) index = readOption(argv, index, scanned);
    else if (argument.startsWith('-') && argument.length > 1)
      scanned.issues.push(`unknown option ${quoteArgument(argument)}; options are written --name (${OPTION_NAMES.map((name) => `--${name}`).join(', ')})`);
    else scanned.positionals.push(argument);
  }
  return scanned;
}

/** Reads the option at `index` into `scanned`; returns the index of the last argument it used. */
function readOption(argv: readonly string[], index: number, scanned: Scanned): number {
  const argument = argv[index]!;
  const equals = argument.indexOf('=');
  const name = argument.slice(2, equals < 0 ? undefined : equals);
  const inline = equals < 0 ? undefined : argument.slice(equals + 1);
  if ((FLAG_OPTIONS as readonly string[]).includes(name)) {
    if (inline !== undefined) scanned.issues.push(`--${name} takes no value`);
    scanned.flags.add(name);
    return index;
  }
  if (!(VALUE_OPTIONS as readonly string[]).includes(name)) {
    scanned.issues.push(unknownOption(name));
    // A misspelt value option (`--stroe sqlite:…`) takes its value along, rather than leaving it as a stray argument.
    const next = argv[index + 1];
    const takesValue = SECRET_OPTIONS.has(name.toLowerCase()) || (VALUE_OPTIONS as readonly string[]).includes(closestName(name, OPTION_NAMES) ?? '');
    return inline === undefined && takesValue && next !== undefined && !next.startsWith('-') ? index + 1 : index;
  }
  const option = name as ValueOption;
  const value = inline ?? argv[index + 1];
  const used = inline === undefined ? index + 1 : index;
  if (value === undefined || (inline === undefined && value.startsWith('--'))) {
    scanned.issues.push(`--${option} needs a value`);
    return index;
  }
  if (value === '') scanned.issues.push(`--${option} is empty`);
  else if (scanned.values[option] !== undefined) scanned.issues.push(`--${option} is given twice`);
  else scanned.values[option] = value;
  return used;
}

function unknownOption(name: string): string {
  if (SECRET_OPTIONS.has(name.toLowerCase())) {
    return `--${name} does not exist: a key never goes on the command line (it would show in ps and your shell history); put it in an environment variable and pass that variable's name with --key-env NAME`;
  }
  const guess = closestName(name, OPTION_NAMES);
  return `unknown option ${quoteArgument(`--${name}`)}${guess ? ` (did you mean --${guess}?)` : ''}`;
}

function checkKeyEnv(name: string, issues: string[]): void {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && name.length <= 128 && !/^[0-9a-f]{64}$/i.test(name)) return;
  // Not echoed: it may be the key itself.
  issues.push('--key-env takes the NAME of an environment variable (letters, digits, _), e.g. --key-env TICKETFLOW_ENCRYPTION_KEY — never the key itself');
}

/** An argument for a message: quoted, cut, control characters escaped. */
export function quoteArgument(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return escapeControls(JSON.stringify(shown));
}

/**
 * Escapes what a terminal would interpret in text from a ticket or a command line: C1
 * controls, DEL, line and paragraph separators and bidirectional overrides (JSON.stringify
 * already escapes C0 controls and lone surrogates).
 */
export function escapeControls(text: string): string {
  return text.replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
