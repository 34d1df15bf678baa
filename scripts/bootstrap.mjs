#!/usr/bin/env node
// The README's two commands (`npm run demo`, `npm test`) must work on a machine that has
// only Node and npm. This script finds or fetches pnpm, installs the workspace when the
// lockfile changed since the last install, builds, and then runs the requested task.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmSpec = rootPackage.packageManager; // e.g. "pnpm@10.34.8"
const pnpmVersion = pnpmSpec.split('@')[1];

const tasks = {
  demo: [['install'], ['run', 'build'], ['--filter', '@ticketflow/example-telecom-support', 'run', 'demo', ...process.argv.slice(3)]],
  test: [['install'], ['run', 'test:packages']],
};

const task = process.argv[2];
if (!task || !(task in tasks)) {
  console.error(`usage: node scripts/bootstrap.mjs <${Object.keys(tasks).join('|')}>`);
  process.exit(2);
}

const pnpmCommand = findPnpm();
for (const args of tasks[task]) {
  if (args[0] === 'install') {
    if (installIsFresh()) continue;
    args.push('--frozen-lockfile', '--prefer-offline');
  }
  const result = spawnSync(pnpmCommand[0], [...pnpmCommand.slice(1), ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, COREPACK_ENABLE_DOWNLOAD_PROMPT: '0' },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** A pnpm of the pinned version on PATH, else the pinned version through npx. */
function findPnpm() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim() === pnpmVersion) return ['pnpm'];
  return ['npx', '--yes', pnpmSpec];
}

/** True when node_modules was installed after the last change to the lockfile. */
function installIsFresh() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const lockfile = join(root, 'pnpm-lock.yaml');
  if (!existsSync(marker) || !existsSync(lockfile)) return false;
  return statSync(marker).mtimeMs >= statSync(lockfile).mtimeMs;
}
