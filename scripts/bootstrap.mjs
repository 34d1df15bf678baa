#!/usr/bin/env node
// Every root script (`npm run demo`, `npm test`, `npm run build`, …) must work on a machine that
// has only Node and npm. This script finds or fetches the pinned pnpm, installs the workspace
// when the lockfile changed since the last install, builds what the task needs, and runs it.
// Install and build steps are quiet unless they fail; the task itself prints what it prints.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmSpec = rootPackage.packageManager; // e.g. "pnpm@10.34.8"
const pnpmVersion = pnpmSpec.split('@')[1];
const extraArguments = process.argv.slice(3);

/** A step: pnpm arguments, and whether its output is shown only when it fails. */
const install = { args: ['install', '--frozen-lockfile', '--prefer-offline'], quiet: true, skipWhen: installIsFresh, label: 'Installing the workspace' };
const turbo = (task, ...args) => ({ args: ['exec', 'turbo', 'run', task, ...args], quiet: false });
const quietBuild = (filter, label) => ({ args: ['exec', 'turbo', 'run', 'build', `--filter=${filter}`, '--output-logs=errors-only'], quiet: true, label });

const tasks = {
  // The demo runs the example from its sources (tsx): it needs its dependencies built, not itself.
  demo: [
    install,
    quietBuild('@ticketflow/example-telecom-support^...', 'Building the packages the demo uses'),
    { args: ['--silent', '--filter', '@ticketflow/example-telecom-support', 'run', 'demo', ...extraArguments] },
  ],
  test: [install, { args: ['run', 'format:check'] }, { args: ['run', 'test:packages', ...extraArguments] }],
  build: [install, turbo('build', ...extraArguments)],
  typecheck: [install, turbo('typecheck', ...extraArguments)],
  'lint:package': [install, turbo('lint:package', ...extraArguments)],
  bench: [
    install,
    quietBuild('@ticketflow/bench^...', 'Building the packages the benchmarks use'),
    { args: ['--silent', '--filter', '@ticketflow/bench', 'run', 'bench', ...extraArguments] },
  ],
  // Tarballs of every published package in packed/, to `npm install` from a clone.
  pack: [
    install,
    quietBuild('./packages/*', 'Building the packages'),
    {
      args: ['--recursive', '--filter', './packages/*', 'pack', '--pack-destination', join(root, 'packed')],
      quiet: true,
      label: 'Packing',
      after: listTarballs,
    },
  ],
};

const task = process.argv[2];
if (!task || !(task in tasks)) {
  console.error(`usage: node scripts/bootstrap.mjs <${Object.keys(tasks).join('|')}> [arguments]`);
  process.exit(2);
}

const pnpmCommand = findPnpm();
for (const step of tasks[task]) {
  if (step.skipWhen?.()) continue;
  const started = Date.now();
  if (step.quiet) process.stderr.write(`${step.label}… `);
  const result = spawnSync(pnpmCommand[0], [...pnpmCommand.slice(1), ...step.args], {
    cwd: root,
    stdio: step.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, COREPACK_ENABLE_DOWNLOAD_PROMPT: '0', TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
  });
  if (step.quiet) {
    const failed = result.status !== 0;
    process.stderr.write(failed ? 'failed:\n' : `done (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    if (failed) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `${result.error.message}\n` : ''}`);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
  step.after?.();
}

function listTarballs() {
  const directory = join(root, 'packed');
  const tarballs = readdirSync(directory).filter((file) => file.endsWith('.tgz'));
  console.log(
    `${tarballs.map((file) => join(directory, file)).join('\n')}\n\nInstall them in your app with npm install <tarball>… zod (see README.md, Install).`,
  );
}

/** A pnpm of the pinned version on PATH, else the pinned version through npx. */
function findPnpm() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim() === pnpmVersion) return ['pnpm'];
  return ['npx', '--yes', pnpmSpec];
}

/** True when node_modules was installed after the last change to the lockfile and workspace list. */
function installIsFresh() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const inputs = ['pnpm-lock.yaml', 'pnpm-workspace.yaml'].map((file) => join(root, file));
  if (!existsSync(marker) || !inputs.every((file) => existsSync(file))) return false;
  const installedAt = statSync(marker).mtimeMs;
  return inputs.every((file) => statSync(file).mtimeMs <= installedAt);
}
