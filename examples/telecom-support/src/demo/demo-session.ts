import { SqliteTicketStore } from '@ticketflow/adapter-sqlite';
import type { MockLLM } from '@ticketflow/llm-mock';
import { TelecomBackend } from '../backend/telecom-backend.js';
import { createTelecomAgent, type TelecomAgent } from '../create-telecom-agent.js';
import { createTelecomLLM } from '../llm/create-telecom-llm.js';
import { printMessage, printNote, printTurn, style } from './print-turn.js';

/**
 * One demo process: the telecom agent on a SQLite file with the offline LLM, and helpers
 * that play a turn and print it with the backend and carrier-record calls it caused.
 */
export class DemoSession {
  readonly telecom: TelecomAgent;
  readonly llm: MockLLM;
  readonly store: SqliteTicketStore;

  constructor(filename: string, options: { onHang?: (operation: string) => void } = {}) {
    this.store = new SqliteTicketStore({ filename });
    this.llm = createTelecomLLM();
    const backend = new TelecomBackend({ latencyMs: [5, 20], ...(options.onHang ? { onHang: options.onHang } : {}) });
    this.telecom = createTelecomAgent({
      store: this.store,
      llm: this.llm,
      backend,
      // A short lease (with tool timeouts and retry delays that fit in it) and short LLM retry
      // delays keep the demo fast; the defaults suit production.
      leaseMs: 1_500,
      toolTimeoutMs: 300,
      toolRetry: { minDelayMs: 10, maxDelayMs: 50 },
      llmRetry: { retries: 2, minDelayMs: 10, maxDelayMs: 40 },
    });
    this.telecom.agent.on('ticket.recovered', (event) =>
      printNote(
        `recovery: ${event.ticketId} had an interrupted ${event.workflow} execution (its lease expired); every started step was ${event.compensated ? 'compensated' : 'NOT compensated'} before this turn.`,
      ),
    );
  }

  get backend(): TelecomBackend {
    return this.telecom.backend;
  }

  async say(ticketId: string, message: string) {
    printMessage(message);
    const before = this.backend.callCount;
    const carrierBefore = this.telecom.world.actions().length;
    const result = await this.telecom.agent.handle({ ticketId, message });
    const carrier = this.telecom.world.actions().slice(carrierBefore);
    printTurn({
      reply: result.reply,
      action: result.action,
      decision: result.decision,
      ticket: result.ticket,
      calls: this.backend.callsSince(before),
      carrier,
    });
    return result;
  }

  async approve(ticketId: string, by: string, note: string) {
    printMessage(`(approves: "${note}")`, by);
    const before = this.backend.callCount;
    const result = await this.telecom.agent.approve(ticketId, { by, note });
    printTurn({ reply: result.reply, action: result.action, ticket: result.ticket, calls: this.backend.callsSince(before) });
    return result;
  }

  note(text: string): void {
    printNote(text);
  }

  async close(): Promise<void> {
    await this.store.close();
  }

  static banner(text: string): void {
    console.log(`\n${style.bold(style.cyan(text))}`);
  }
}
