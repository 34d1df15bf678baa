import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/** Restarts the store's server during a run (issue 12 item 5). */
export interface StoreRestarter {
  /** True when a restart loses every ticket (Redis without persistence): the next message starts a new life. */
  readonly losesData: boolean;
  /** What the restarts do, for the report. */
  readonly description: string;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A throwaway `redis-server` of this run, without persistence (`--save ''`, no AOF), on a free
 * port: `restart()` kills it by pid (SIGKILL, mid-turn) and starts it again empty — every
 * ticket is gone, and a turn prepared against the old data must never commit on the new one.
 */
export class ThrowawayRedis implements StoreRestarter {
  readonly losesData = true;
  readonly description = 'throwaway redis-server without persistence, SIGKILLed and started again empty';
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  /**
   * Starts one on a free port; rejects when `redis-server` is not installed or does not answer.
   * The port is free when chosen, not reserved: if another process binds it first, the server
   * exits, and it starts again on another port (three tries).
   */
  static async start(): Promise<ThrowawayRedis> {
    for (let attempt = 1; ; attempt += 1) {
      const redis = new ThrowawayRedis(await freePort());
      try {
        await redis.spawn();
        return redis;
      } catch (error) {
        await redis.stop();
        if (attempt === 3 || (error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
      }
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.spawn();
  }

  async close(): Promise<void> {
    await this.stop();
  }

  private async spawn(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
      stdio: 'ignore',
    });
    this.child = child;
    const failed = new Promise<never>((_resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => reject(new Error(`redis-server exited (${code ?? signal}) before answering on port ${this.port}`)));
    });
    await Promise.race([failed, waitForPing(this.port)]);
  }

  private async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * PostgreSQL cannot be restarted here (the server is shared), so its "restart" is what a
 * failover or a restart does to clients: every backend of this run (found by the run's
 * `application_name`) is terminated mid-turn, connections and open transactions cut. Nothing
 * is lost: every acknowledged turn must survive, and a commit whose outcome is unknown is
 * retried with the same `messageId`.
 */
export class PostgresBackendKiller implements StoreRestarter {
  readonly losesData = false;
  readonly description = 'every PostgreSQL backend of the run terminated (pg_terminate_backend by application_name)';
  private readonly admin: pg.Pool;

  constructor(
    url: string,
    private readonly applicationName: string,
  ) {
    this.admin = new pg.Pool({ connectionString: url, max: 1, application_name: 'tf-chaos-admin' });
  }

  /** The run's connection string: the same server, tagged with the run's `application_name`. */
  static tag(url: string, applicationName: string): string {
    const tagged = new URL(url);
    tagged.searchParams.set('application_name', applicationName);
    return tagged.toString();
  }

  async restart(): Promise<void> {
    await this.admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [
      this.applicationName,
    ]);
  }

  async close(): Promise<void> {
    await this.admin.end();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves once the server answers PING (a raw RESP exchange, no client needed). */
async function waitForPing(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await ping(port)) return;
    await sleep(25);
  }
  throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms`);
}

async function ping(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}
