// What ensure-chromium.mjs and ensure-prometheus.mjs share: find a server binary a test suite
// needs (an environment variable first, then the distribution's usual paths), install its
// Debian package when it is missing and this process may (root, apt-get present), and apply
// the rule for integration suites — fail under CI=true when there is none, else skip loudly.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
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
 * A binary from a Debian package.
 * @param {{ label: string, packageName: string, envVariable: string, candidates: readonly string[], what: string }} spec
 *   `label`: its name in messages (`Chromium`); `what`: the suite in the CI refusal (`the browser tests`).
 */
export function debianBinary({ label, packageName, envVariable, candidates, what }) {
  /** The first binary found: the environment variable, then the candidates. */
  const find = () => {
    const given = process.env[envVariable];
    if (given) return executable(given) ? given : null;
    return candidates.find(executable) ?? null;
  };

  /** Finds the binary, installing the package when it is missing and this process may (`install: false` to only look). */
  const ensure = ({ install = true } = {}) => {
    const found = find();
    if (found) return { path: found };
    if (process.env[envVariable]) return { path: null, reason: `${envVariable}=${process.env[envVariable]} is not an executable` };
    if (!install) return { path: null, reason: `no ${label} at ${candidates.join(', ')}` };
    const command = `apt-get install -y ${packageName}`;
    if (typeof process.getuid !== 'function' || process.getuid() !== 0)
      return { path: null, reason: `${label} is not installed and this user cannot install it (${command} as root)` };
    if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0)
      return { path: null, reason: `${label} is not installed and there is no apt-get to install it` };
    process.stderr.write(`ensure-${packageName}: installing Debian's ${packageName} package (${command})…\n`);
    let attempt = apt(['install', '-y', '--no-install-recommends', packageName]);
    if (!attempt.ok) {
      const update = apt(['update']);
      if (!update.ok) return { path: null, reason: `apt-get update failed: ${update.output}` };
      attempt = apt(['install', '-y', '--no-install-recommends', packageName]);
    }
    const installed = find();
    return installed ? { path: installed } : { path: null, reason: `${command} failed: ${attempt.output}` };
  };

  /** For a test file: the path, or null after a loud banner (outside CI); throws under CI=true when there is none. */
  const require = (suite) => {
    const result = ensure();
    if (result.path) return result.path;
    const message = `No ${label} for ${suite}: ${result.reason}`;
    if (/^(1|true)$/i.test(process.env.CI ?? '')) throw new Error(`${message}. CI=true: ${what} may not be skipped.`);
    const banner = '!'.repeat(78);
    console.warn(
      `\n${banner}\n!! ${message}.\n!! SKIPPING ${suite} (allowed outside CI only).\n!! Install it: apt-get install -y ${packageName} (or set ${envVariable}).\n${banner}\n`,
    );
    return null;
  };

  /** As a command: prints the path, or why there is none (exit 1). */
  const main = () => {
    const result = ensure();
    if (result.path) console.log(result.path);
    else {
      console.error(`ensure-${packageName}: ${result.reason}`);
      process.exit(1);
    }
  };

  return { find, ensure, require, main };
}
