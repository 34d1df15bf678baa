import { existsSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReplayOptions } from '../replay/replay-ticket.js';
import { UsageError } from './cli-arguments.js';
import { importFromApp, MissingPackageError } from './import-from-app.js';

/** What the `--agent` module gives the replay: the definitions and the options that shape decisions. */
export type ReplayDefinitions = Pick<ReplayOptions, 'intents' | 'workflows' | 'slots' | 'confidenceThreshold' | 'maxClarifications' | 'redact'>;

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);
const EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];
const KNOWN_EXPORTS = ['intents', 'workflows', 'slots', 'confidenceThreshold', 'maxClarifications', 'redact'];

/**
 * Imports the `--agent` module (a path relative to `cwd`) and reads its definitions: named
 * exports `intents`, `workflows` and optionally `slots`, `confidenceThreshold`,
 * `maxClarifications`, `redact` — or a default export holding them. A TypeScript module
 * loads when Node can (under `tsx`, or a Node with type stripping) or through the app's
 * own `tsx`.
 * @throws {UsageError} for a missing file, a module that fails to load or lacks the exports.
 */
export async function loadDefinitions(modulePath: string, cwd: string): Promise<ReplayDefinitions> {
  const file = agentFile(modulePath, cwd);
  checkModuleFile(modulePath, file);
  const loaded = await importModule(modulePath, file, [cwd, dirname(file)]);
  return readDefinitions(modulePath, loaded);
}

/** The absolute path of the `--agent` module. */
export function agentFile(modulePath: string, cwd: string): string {
  return isAbsolute(modulePath) ? modulePath : resolve(cwd, modulePath);
}

function checkModuleFile(shown: string, file: string): void {
  if (existsSync(file) && statSync(file).isFile()) return;
  const withExtension = EXTENSIONS.map((extension) => `${file}${extension}`).find((candidate) => existsSync(candidate));
  const hint = withExtension ? ` (did you mean ${shown}${withExtension.slice(file.length)}?)` : '';
  throw new UsageError([`--agent: there is no module at ${file}${hint}`]);
}

async function importModule(shown: string, file: string, directories: readonly string[]): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if (TYPESCRIPT.has(extname(file)) && (error as { code?: unknown })?.code === 'ERR_UNKNOWN_FILE_EXTENSION') return importWithTsx(shown, url, directories);
    throw new UsageError([`--agent ${shown} could not be loaded: ${describe(error)}`]);
  }
}

async function importWithTsx(shown: string, url: string, directories: readonly string[]): Promise<Record<string, unknown>> {
  let api: Record<string, unknown>;
  try {
    api = await importFromApp('tsx', directories, './esm/api');
  } catch (error) {
    if (!(error instanceof MissingPackageError)) throw error;
    throw new UsageError([
      `--agent ${shown} is TypeScript, which this Node cannot load by itself: install tsx in your app (npm install --save-dev tsx), run the command as NODE_OPTIONS="--import tsx" npx ticketflow …, or point --agent at the built JavaScript`,
    ]);
  }
  const tsImport = api.tsImport as ((specifier: string, options: { parentURL: string }) => Promise<Record<string, unknown>>) | undefined;
  if (typeof tsImport !== 'function') throw new UsageError(['the tsx installed here has no tsImport (tsx 4 or later is needed to load a TypeScript --agent)']);
  try {
    return await tsImport(url, { parentURL: url });
  } catch (error) {
    throw new UsageError([`--agent ${shown} could not be loaded: ${describe(error)}`]);
  }
}

function readDefinitions(shown: string, loaded: Record<string, unknown>): ReplayDefinitions {
  const source = holder(loaded);
  if (!source) {
    const names = Object.keys(loaded).filter((name) => name !== '__esModule');
    throw new UsageError([
      `--agent ${shown} must export intents and workflows (named exports, or a default export { intents, workflows, slots }); it exports ${names.length > 0 ? names.join(', ') : 'nothing'}`,
    ]);
  }
  const issues: string[] = [];
  const list = (name: string, required: boolean) => {
    const value = source[name];
    if (value === undefined && !required) return;
    if (!Array.isArray(value))
      issues.push(
        `--agent ${shown}: ${name} must be an array (of ${name} from define${name === 'intents' ? 'Intent' : name === 'workflows' ? 'Workflow' : 'Slot'}), got ${typeName(value)}`,
      );
  };
  list('intents', true);
  list('workflows', true);
  list('slots', false);
  for (const name of ['confidenceThreshold', 'maxClarifications'] as const) {
    if (source[name] !== undefined && typeof source[name] !== 'number')
      issues.push(`--agent ${shown}: ${name} must be a number, got ${typeName(source[name])}`);
  }
  if (source.redact !== undefined && typeof source.redact !== 'function')
    issues.push(`--agent ${shown}: redact must be a function (text) => text, got ${typeName(source.redact)}`);
  if (issues.length > 0) throw new UsageError(issues);
  return Object.fromEntries(KNOWN_EXPORTS.filter((name) => source[name] !== undefined).map((name) => [name, source[name]])) as unknown as ReplayDefinitions;
}

/** The named exports when they hold `intents` or `workflows`, else a default export object that does. */
function holder(loaded: Record<string, unknown>): Record<string, unknown> | undefined {
  if ('intents' in loaded || 'workflows' in loaded) return loaded;
  const fallback = loaded.default;
  if (typeof fallback === 'object' && fallback !== null && ('intents' in fallback || 'workflows' in fallback)) return fallback as Record<string, unknown>;
  return undefined;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
