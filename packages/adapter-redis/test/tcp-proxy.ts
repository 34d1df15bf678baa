import net from 'node:net';

/**
 * A loopback TCP proxy in front of a real server, to stage network failures:
 * `blackhole()` keeps connections open but stops forwarding (a server that never answers),
 * `dropConnections()` closes the open connections and keeps serving (a blip),
 * `stallReplies()` still forwards what the client sends but no longer what the server
 * answers (the request lands, the answer never comes), `stop()` closes every connection
 * and the port (refused), `start()` serves again on the same port.
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private forwarding = true;
  private replying = true;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** A URL for the proxy, keeping the target URL's credentials and database. */
  url(targetUrl: string): string {
    const url = new URL(targetUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  async start(): Promise<void> {
    this.forwarding = true;
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  blackhole(): void {
    this.forwarding = false;
  }

  stallReplies(): void {
    this.replying = false;
  }

  forward(): void {
    this.forwarding = true;
    this.replying = true;
  }

  /** Drops every open connection but keeps accepting new ones (a network blip, a server's CLIENT KILL). */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  /** Client connections open through the proxy now. */
  get openConnections(): number {
    return this.sockets.size / 2;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.target);
    this.sockets.add(client).add(upstream);
    const pipe = (from: net.Socket, to: net.Socket, isReply: boolean) =>
      from.on('data', (chunk) => {
        if (this.forwarding && (this.replying || !isReply)) to.write(chunk);
      });
    pipe(client, upstream, false);
    pipe(upstream, client, true);
    for (const socket of [client, upstream]) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(socket);
      });
    }
  }
}

/** A server that accepts connections and never answers. */
export async function startSilentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
