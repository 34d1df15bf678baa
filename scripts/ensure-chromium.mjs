#!/usr/bin/env node
// Finds Debian's Chromium for the browser tests (Playwright's `playwright-core` drives it;
// `npx playwright install` is never used: browsers come from the distribution). When it is
// missing and this process is root with apt-get, installs the `chromium` package.
//
// The rule for integration suites applies: the test that needs the browser fails under
// CI=true when there is none, and otherwise skips loudly (see `requireChromium`).
//
// usage: node scripts/ensure-chromium.mjs        prints the path, or why there is none (exit 1)
//        import { ensureChromium, requireChromium } from '…/scripts/ensure-chromium.mjs'
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium', '/usr/bin/google-chrome'];

/** The flags that make headless Chromium quiet, offline and usable as root in a container. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first Chromium found: `TICKETFLOW_CHROMIUM`, then the distribution's usual paths. */
export function findChromium() {
  const given = process.env.TICKETFLOW_CHROMIUM;
  if (given) return executable(given) ? given : null;
  return CANDIDATES.find(executable) ?? null;
}

function apt(args) {
  const result = spawnSync('apt-get', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: 900_000,
  });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ') };
}

/**
 * Finds Chromium, installing Debian's `chromium` package when it is missing and this
 * process may (root, apt-get present; `install: false` to only look).
 * @returns {{ path: string } | { path: null, reason: string }}
 */
export function ensureChromium({ install = true } = {}) {
  const found = findChromium();
  if (found) return { path: found };
  if (process.env.TICKETFLOW_CHROMIUM) return { path: null, reason: `TICKETFLOW_CHROMIUM=${process.env.TICKETFLOW_CHROMIUM} is not an executable` };
  if (!install) return { path: null, reason: `no Chromium at ${CANDIDATES.join(', ')}` };
  if (typeof process.getuid !== 'function' || process.getuid() !== 0)
    return { path: null, reason: 'Chromium is not installed and this user cannot install it (apt-get install -y chromium as root)' };
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0)
    return { path: null, reason: 'Chromium is not installed and there is no apt-get to install it' };
  process.stderr.write("ensure-chromium: installing Debian's chromium package (apt-get install -y chromium)…\n");
  let attempt = apt(['install', '-y', '--no-install-recommends', 'chromium']);
  if (!attempt.ok) {
    const update = apt(['update']);
    if (!update.ok) return { path: null, reason: `apt-get update failed: ${update.output}` };
    attempt = apt(['install', '-y', '--no-install-recommends', 'chromium']);
  }
  const installed = findChromium();
  return installed ? { path: installed } : { path: null, reason: `apt-get install -y chromium failed: ${attempt.output}` };
}

/**
 * For a test file: the Chromium path, or null after a loud banner (outside CI).
 * @throws {Error} under CI=true when there is no Chromium: a browser suite may not be skipped there.
 */
export function requireChromium(suite) {
  const result = ensureChromium();
  if (result.path) return result.path;
  const message = `No Chromium for ${suite}: ${result.reason}`;
  if (/^(1|true)$/i.test(process.env.CI ?? '')) throw new Error(`${message}. CI=true: the browser tests may not be skipped.`);
  const banner = '!'.repeat(78);
  console.warn(
    `\n${banner}\n!! ${message}.\n!! SKIPPING ${suite} (allowed outside CI only).\n!! Install it: apt-get install -y chromium (or set TICKETFLOW_CHROMIUM).\n${banner}\n`,
  );
  return null;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = ensureChromium();
  if (result.path) console.log(result.path);
  else {
    console.error(`ensure-chromium: ${result.reason}`);
    process.exit(1);
  }
}
