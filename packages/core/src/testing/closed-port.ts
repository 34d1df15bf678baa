import { connect } from 'node:net';

/**
 * Privileged ports (below 1024) rarely served on a developer machine or a CI runner, and off
 * the Fetch standard's list of "bad ports" (9, 101, 113… are on it: `fetch` refuses them
 * itself, before any connection, which is not what a refused-connection test means).
 */
const CANDIDATES = [47, 51, 57, 61, 97, 99];
/** A loopback connection is refused at once; no answer within this is not "refused". */
const PROBE_MS = 500;

/**
 * A TCP port on 127.0.0.1 where nothing listens and nothing in the test run will: a
 * privileged port (no test can bind it without root) that refuses connections now. Use it for
 * "connection refused" tests. A port bound with `listen(0)` and released is not enough: the
 * next `listen(0)` of the run (a loopback server of the next test) can get it back, and the
 * "refused" connection is then answered.
 *
 * @throws {Error} when every candidate port answers or hangs (something serves them here).
 * @example
 * ```ts
 * const url = `http://127.0.0.1:${await closedPort()}`; // connecting is refused
 * ```
 */
export async function closedPort(): Promise<number> {
  for (const port of CANDIDATES) if (await refuses(port)) return port;
  throw new Error(`no closed privileged port on 127.0.0.1 (tried ${CANDIDATES.join(', ')}): something listens on all of them`);
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const settle = (refused: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(refused);
    };
    const timer = setTimeout(() => settle(false), PROBE_MS);
    socket.once('connect', () => settle(false));
    socket.once('error', (error: NodeJS.ErrnoException) => settle(error.code === 'ECONNREFUSED'));
  });
}
