#!/usr/bin/env node
// Makes sure the integration suites have their servers before the tests start.
//
// PostgreSQL and Redis are expected at TICKETFLOW_TEST_PG_URL / TICKETFLOW_TEST_REDIS_URL
// (defaults: the servers of this machine). When one does not answer and its server binary
// is installed, a throwaway instance is started on a free port for this run and its URL is
// exported to the tests. When that is impossible: under CI=true the run fails; otherwise
// the suites that need the server skip, and this script says so loudly.
//
// usage: node scripts/test-services.mjs -- <command...>
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chmodSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const isCI = /^(1|true)$/i.test(process.env.CI ?? '');

const command = process.argv.slice(process.argv.indexOf('--') + 1);
const cleanups = [];

const pgUrl = process.env.TICKETFLOW_TEST_PG_URL ?? DEFAULT_PG_URL;
const redisUrl = process.env.TICKETFLOW_TEST_REDIS_URL ?? DEFAULT_REDIS_URL;
const env = { ...process.env, TICKETFLOW_TEST_PG_URL: pgUrl, TICKETFLOW_TEST_REDIS_URL: redisUrl };

const problems = [];
if (!(await answers(pgUrl, 'postgres'))) {
  const started = await startThrowawayPostgres();
  if (started) env.TICKETFLOW_TEST_PG_URL = started;
  else problems.push(`PostgreSQL does not answer at ${redact(pgUrl)} and no throwaway instance could be started`);
}
if (!(await answers(redisUrl, 'redis'))) {
  const started = await startThrowawayRedis();
  if (started) env.TICKETFLOW_TEST_REDIS_URL = started;
  else problems.push(`Redis does not answer at ${redact(redisUrl)} and no throwaway instance could be started`);
}

if (problems.length > 0) {
  const banner = '!'.repeat(78);
  console.error(`\n${banner}\n${problems.map((p) => `!! ${p}`).join('\n')}`);
  if (isCI) {
    console.error(`!! CI=true: integration suites may not be skipped. Failing.\n${banner}\n`);
    await cleanup();
    process.exit(1);
  }
  console.error(`!! The suites that need these servers will SKIP (outside CI only).\n${banner}\n`);
}

const child = spawn(command[0], command.slice(1), { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', async (code, signal) => {
  await cleanup();
  process.exit(code ?? (signal ? 1 : 0));
});

/** Probes a server with its own protocol's cheapest exchange, within two seconds. */
function answers(url, kind) {
  const { hostname, port } = new URL(url);
  const defaultPort = kind === 'postgres' ? 5432 : 6379;
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname || '127.0.0.1', port: Number(port || defaultPort) });
    const timer = setTimeout(() => done(false), 2_000);
    function done(ok) {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    }
    socket.once('error', () => done(false));
    socket.once('connect', () => {
      if (kind === 'redis') {
        socket.write('PING\r\n');
        socket.once('data', (data) => done(/^\+PONG|^-NOAUTH/.test(data.toString())));
      } else {
        // SSLRequest: any server answers 'S' or 'N' with one byte.
        socket.write(Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]));
        socket.once('data', (data) => done(data.length >= 1));
      }
    });
  });
}

function which(binary, extraDirectories = []) {
  for (const directory of [...extraDirectories, ...(process.env.PATH ?? '').split(':')]) {
    const candidate = join(directory, binary);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

async function startThrowawayRedis() {
  const server = which('redis-server');
  if (!server) return null;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(server, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  cleanups.push(() => child.kill('SIGTERM'));
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (await answers(url, 'redis')) {
      console.error(`[test-services] started a throwaway Redis at ${url}`);
      return url;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

async function startThrowawayPostgres() {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql') : [];
  const binDirectories = versions.map((version) => `/usr/lib/postgresql/${version}/bin`);
  const initdb = which('initdb', binDirectories);
  const pgCtl = which('pg_ctl', binDirectories);
  if (!initdb || !pgCtl) return null;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const directory = mkdtempSync(join(tmpdir(), 'ticketflow-pg-'));
  chmodSync(directory, 0o777);
  // initdb refuses to run as root; run it as the postgres user when we are root.
  const asUser = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  const run = (args) => spawnSync(asUser[0] ?? args[0], [...asUser.slice(1), ...(asUser.length ? args : args.slice(1))], { stdio: 'ignore' });
  const data = join(directory, 'data');
  if (run([initdb, '-D', data, '-U', 'postgres', '--auth=trust']).status !== 0) return null;
  const options = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off`;
  if (run([pgCtl, '-D', data, '-o', options, '-w', 'start']).status !== 0) return null;
  cleanups.push(() => {
    run([pgCtl, '-D', data, '-m', 'immediate', 'stop']);
    rmSync(directory, { recursive: true, force: true });
  });
  const psql = which('psql', binDirectories);
  if (psql) run([psql, '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', 'CREATE DATABASE test']);
  const url = `postgres://postgres@127.0.0.1:${port}/test`;
  if (!(await answers(url, 'postgres'))) return null;
  console.error(`[test-services] started a throwaway PostgreSQL at ${url}`);
  return url;
}

async function cleanup() {
  for (const step of cleanups.reverse()) {
    try {
      await step();
    } catch {
      // best effort: the process is ending anyway
    }
  }
}

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
