import { randomUUID } from 'node:crypto';
import type { TicketDoc } from '@ticketflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTicketStore } from '../src/index.js';
import { connectTestClient, dropNamespaces, randomNamespace, testRedisAvailable, type TestClient } from './redis-test-server.js';

const available = await testRedisAvailable('RedisTicketStore round trips');
type Client = TestClient;

/**
 * Watches the server with MONITOR and counts the commands one connection sends. Lua's own
 * calls show as `[db lua]` and are not round trips.
 */
class CommandLog {
  private readonly lines: string[] = [];
  private constructor(
    private readonly monitor: Client,
    private readonly probe: Client,
  ) {}

  static async start(): Promise<CommandLog> {
    const log = new CommandLog(await connectTestClient(), await connectTestClient());
    await log.monitor.monitor((line) => log.lines.push(String(line)));
    return log;
  }

  /** The commands `address` sent while `action` ran. */
  async commandsOf(address: string, action: () => Promise<unknown>): Promise<string[]> {
    await this.sync();
    this.lines.length = 0;
    await action();
    await this.sync();
    return this.lines.filter((line) => line.includes(` ${address}] `)).map((line) => /\] "([A-Za-z]+)"/.exec(line)?.[1]?.toUpperCase() ?? line);
  }

  async stop(): Promise<void> {
    this.monitor.destroy();
    this.probe.destroy();
  }

  /** MONITOR reports commands in execution order: once our marker shows, all before it did. */
  private async sync(): Promise<void> {
    const marker = `sync-${randomUUID()}`;
    await this.probe.echo(marker);
    for (let waited = 0; !this.lines.some((line) => line.includes(marker)); waited += 10) {
      if (waited > 5_000) throw new Error('MONITOR did not report the marker');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

describe.runIf(available)('RedisTicketStore round trips', () => {
  const namespace = randomNamespace('roundtrip');
  let log: CommandLog;
  let client: Client;
  let store: RedisTicketStore;
  let address: string;

  beforeAll(async () => {
    log = await CommandLog.start();
    client = await connectTestClient();
    address = /addr=(\S+)/.exec(String(await client.sendCommand(['CLIENT', 'INFO'])))![1]!;
    store = new RedisTicketStore({ client, namespace });
    // Warm-up: the first commit may load the script (EVALSHA, then EVAL on NOSCRIPT).
    await store.commit({ ticketId: 'T-warm', expectedVersion: null, ticket: {} as TicketDoc, events: [] });
  });
  afterAll(async () => {
    await store?.close();
    client?.destroy();
    await log?.stop();
    await dropNamespaces([namespace]);
  });

  it('commit is one EVALSHA, whose script does the whole compare-and-set on the server', async () => {
    const events = [{ type: 'a', at: 'now' }, { type: 'b', at: 'now' }];
    expect(await log.commandsOf(address, () => store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: {} as TicketDoc, events }))).toEqual(['EVALSHA']);
    expect(await log.commandsOf(address, () => store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: {} as TicketDoc, events }))).toEqual(['EVALSHA']);
    expect(await log.commandsOf(address, () => store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: {} as TicketDoc, events }))).toEqual(['EVALSHA']);
  });

  it('load, events and delete are one command each', async () => {
    expect(await log.commandsOf(address, () => store.load('T-1'))).toEqual(['HMGET']);
    expect(await log.commandsOf(address, () => store.load('T-missing'))).toEqual(['HMGET']);
    expect(await log.commandsOf(address, () => store.events('T-1', { after: 1, limit: 2 }))).toEqual(['LRANGE']);
    expect(await log.commandsOf(address, () => store.delete('T-1'))).toEqual(['UNLINK']);
  });
});

if (!available) it.skip('RedisTicketStore round trips (no Redis server, see the banner above)', () => undefined);
