#!/usr/bin/env node
// Finds a Prometheus server binary for the scrape test of the telecom example (issue 17.6).
// When it is missing and this process is root with apt-get, installs Debian's `prometheus`
// package (its service is not started here: the test runs its own server on a free port with
// a temporary configuration, and stops it by pid).
//
// The rule for integration suites applies: the test that needs Prometheus fails under CI=true
// when there is none, and otherwise skips loudly (see `requirePrometheus`).
//
// usage: node scripts/ensure-prometheus.mjs        prints the path, or why there is none (exit 1)
//        import { ensurePrometheus, requirePrometheus } from '…/scripts/ensure-prometheus.mjs'
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CANDIDATES = ['/usr/bin/prometheus', '/usr/local/bin/prometheus', '/opt/prometheus/prometheus'];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first Prometheus found: `TICKETFLOW_PROMETHEUS`, then the usual paths. */
export function findPrometheus() {
  const given = process.env.TICKETFLOW_PROMETHEUS;
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
 * Finds Prometheus, installing Debian's `prometheus` package when it is missing and this
 * process may (root, apt-get present; `install: false` to only look). The package's own
 * service is left alone (in a container without systemd it does not start).
 * @returns {{ path: string } | { path: null, reason: string }}
 */
export function ensurePrometheus({ install = true } = {}) {
  const found = findPrometheus();
  if (found) return { path: found };
  if (process.env.TICKETFLOW_PROMETHEUS) return { path: null, reason: `TICKETFLOW_PROMETHEUS=${process.env.TICKETFLOW_PROMETHEUS} is not an executable` };
  if (!install) return { path: null, reason: `no Prometheus at ${CANDIDATES.join(', ')}` };
  if (typeof process.getuid !== 'function' || process.getuid() !== 0)
    return { path: null, reason: 'Prometheus is not installed and this user cannot install it (apt-get install -y prometheus as root)' };
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0)
    return { path: null, reason: 'Prometheus is not installed and there is no apt-get to install it' };
  process.stderr.write("ensure-prometheus: installing Debian's prometheus package (apt-get install -y prometheus)…\n");
  let attempt = apt(['install', '-y', '--no-install-recommends', 'prometheus']);
  if (!attempt.ok) {
    const update = apt(['update']);
    if (!update.ok) return { path: null, reason: `apt-get update failed: ${update.output}` };
    attempt = apt(['install', '-y', '--no-install-recommends', 'prometheus']);
  }
  const installed = findPrometheus();
  return installed ? { path: installed } : { path: null, reason: `apt-get install -y prometheus failed: ${attempt.output}` };
}

/**
 * For a test file: the Prometheus path, or null after a loud banner (outside CI).
 * @throws {Error} under CI=true when there is no Prometheus: the scrape test may not be skipped there.
 */
export function requirePrometheus(suite) {
  const result = ensurePrometheus();
  if (result.path) return result.path;
  const message = `No Prometheus for ${suite}: ${result.reason}`;
  if (/^(1|true)$/i.test(process.env.CI ?? '')) throw new Error(`${message}. CI=true: the Prometheus test may not be skipped.`);
  const banner = '!'.repeat(78);
  console.warn(
    `\n${banner}\n!! ${message}.\n!! SKIPPING ${suite} (allowed outside CI only).\n!! Install it: apt-get install -y prometheus (or set TICKETFLOW_PROMETHEUS).\n${banner}\n`,
  );
  return null;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = ensurePrometheus();
  if (result.path) console.log(result.path);
  else {
    console.error(`ensure-prometheus: ${result.reason}`);
    process.exit(1);
  }
}
