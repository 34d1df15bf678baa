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

  /** Every command the server ran while `action` ran, Lua's own calls included. */
  async everythingDuring(action: () => Promise<unknown>): Promise<string[]> {
    await this.sync();
    this.lines.length = 0;
    await action();
    await this.sync();
    return this.lines.filter((line) => !line.includes('"ECHO"')).map((line) => /\] "([A-Za-z]+)"/.exec(line)?.[1]?.toUpperCase() ?? line);
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
    const events = [
      { type: 'a', at: 'now' },
      { type: 'b', at: 'now' },
    ];
    expect(await log.commandsOf(address, () => store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: {} as TicketDoc, events }))).toEqual(['EVALSHA']);
    expect(await log.commandsOf(address, () => store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: {} as TicketDoc, events }))).toEqual(['EVALSHA']);
    expect(await log.commandsOf(address, () => store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: {} as TicketDoc, events }))).toEqual(['EVALSHA']);
  });

  it('load and events are one command each; delete is one EVALSHA (the keys and the index entries)', async () => {
    expect(await log.commandsOf(address, () => store.load('T-1'))).toEqual(['HMGET']);
    expect(await log.commandsOf(address, () => store.load('T-missing'))).toEqual(['HMGET']);
    expect(await log.commandsOf(address, () => store.events('T-1', { after: 1, limit: 2 }))).toEqual(['LRANGE']);
    expect(await log.commandsOf(address, () => store.delete('T-1'))).toEqual(['EVALSHA']);
  });

  it("§5 list is one EVALSHA reading the index — never SCAN or KEYS, never a ticket's document (only whether its key exists)", async () => {
    for (let index = 0; index < 30; index += 1) {
      await store.commit({
        ticketId: `T-list-${index}`,
        expectedVersion: null,
        ticket: { status: index % 2 ? 'open' : 'needs_human', updatedAt: new Date(Date.UTC(2026, 0, 1, 0, index)).toISOString() } as unknown as TicketDoc,
        events: [],
      });
    }
    for (const query of [
      {},
      { status: 'needs_human', limit: 5 },
      { status: ['open', 'needs_human'] },
      { updatedBefore: '2026-01-01T00:10:00.000Z' },
      { claimExpiredBefore: '2026-01-02T00:00:00.000Z' },
    ]) {
      expect(await log.commandsOf(address, () => store.list(query))).toEqual(['EVALSHA']);
      const everything = await log.everythingDuring(() => store.list(query));
      expect(everything.filter((command) => ['SCAN', 'KEYS', 'HGETALL', 'HMGET', 'LRANGE', 'SSCAN', 'ZSCAN'].includes(command))).toEqual([]);
      expect(new Set(everything)).toEqual(
        new Set(['EVALSHA', 'ZRANGEBYLEX', 'ZRANGEBYSCORE', 'ZRANGE', 'HGET', 'EXISTS', 'TIME'].filter((command) => everything.includes(command))),
      );
    }
  });

  it('§5 purge reads the index and deletes by script — never SCAN or KEYS', async () => {
    const everything = await log.everythingDuring(() => store.purge({ before: '2026-01-01T00:05:00.000Z' }));
    expect(everything.filter((command) => command === 'SCAN' || command === 'KEYS')).toEqual([]);
    expect(everything).toContain('ZRANGEBYLEX');
    expect(everything).toContain('UNLINK');
  });
});

if (!available) it.skip('RedisTicketStore round trips (no Redis server, see the banner above)', () => undefined);
