import { connect, createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closedPort } from './closed-port.js';
import { refusedConnectionUrl } from './loopback-llm-server.js';

const connectionError = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve('connected')));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });

describe('closedPort', () => {
  it('is a privileged port whose connections are refused', async () => {
    const port = await closedPort();
    expect(port).toBeLessThan(1024);
    expect(await connectionError(port)).toBe('ECONNREFUSED');
  });

  it('is never handed to a test server started right after (a released listen(0) port could be)', async () => {
    const port = await closedPort();
    const servers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const server = createServer();
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        return server;
      }),
    );
    try {
      expect(servers.map((server) => (server.address() as AddressInfo).port)).not.toContain(port);
      expect(await connectionError(port)).toBe('ECONNREFUSED');
    } finally {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });

  it('is a port fetch connects to (not one of its "bad ports"): the connection itself is refused', async () => {
    const error = await fetch(`http://127.0.0.1:${await closedPort()}/`).then(
      () => null,
      (caught: Error & { cause?: { code?: string } }) => caught,
    );
    expect(error?.cause?.code).toBe('ECONNREFUSED');
  });

  it('is the port of refusedConnectionUrl', async () => {
    const url = new URL(await refusedConnectionUrl());
    expect(url.hostname).toBe('127.0.0.1');
    expect(await connectionError(Number(url.port))).toBe('ECONNREFUSED');
  });
});
