import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MockLLM } from '@ticketflow/llm-mock';
import { BACKEND_FAULTS, type BackendFault } from '../backend/backend-fault.js';
import { ConfigError, describeConfig, loadConfig } from '../config/load-config.js';
import { createLLMs } from '../config/create-llms.js';
import { createStore } from '../config/create-store.js';
import { createTelecomAgent } from '../create-telecom-agent.js';
import { describeAction, describeCalls, describeDecision, describeSlots, style } from './print-turn.js';

const HELP = `Type what a customer would write, e.g. "my fiber internet is down" or "refund 30 euros".
Commands:
  /new [id]             start a new ticket            /ticket        show the ticket
  /events [n]           the last n events (15)        /approve [note], /reject [note]
  /release [note]       hand a needs_human ticket back to the agent, once a person has fixed it
  /fail <tool> [mode]   make a backend tool fail (modes: ${BACKEND_FAULTS.join(', ')}), e.g. /fail change_plan
  /heal                 clear backend faults          /llm-down [n]  the next n LLM calls fail (offline LLM only)
  /quit`;

/**
 * A terminal chat with the telecom agent. Store and LLM follow the same environment as
 * `npm run serve` (default: the SQLite file under data/ and the offline LLM), so
 * `TICKETFLOW_LLM=gemini GEMINI_API_KEY=… npm run demo -- --interactive` chats with Gemini.
 */
export async function runInteractiveChat(options: { dataDirectory: string }): Promise<number> {
  const env = { ...process.env };
  if (!env.TICKETFLOW_STORE?.trim()) env.TICKETFLOW_STORE = `sqlite:${join(options.dataDirectory, 'tickets.db')}`;
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const { config, warnings } = loaded;
  for (const warning of warnings) console.warn(style.yellow(`warning: ${warning}`));
  const store = createStore(config.store, config.namespace);
  const llms = createLLMs(config.llms);
  const { agent, backend } = createTelecomAgent({ store, llm: llms, llmTimeoutMs: config.llmTimeoutMs });
  const mock = llms.find((llm): llm is MockLLM => llm instanceof MockLLM);

  const described = describeConfig(config);
  let ticketId = `CHAT-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}`;
  console.log(style.bold('ticketflow · telecom support · terminal chat'));
  console.log(style.dim(`store ${String(described.store)} · LLM ${(described.llms as string[]).join(' → ')} · ticket ${ticketId} · /help for commands`));

  const input = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true });
  input.setPrompt(style.cyan('you › '));
  input.prompt();
  for await (const raw of input) {
    const line = raw.trim();
    try {
      if (line === '') {
        // nothing to send
      } else if (line === '/quit' || line === '/exit') {
        break;
      } else if (line === '/help') {
        console.log(HELP);
      } else if (line.startsWith('/new')) {
        ticketId = line.split(/\s+/)[1] ?? `CHAT-${Date.now().toString(36).toUpperCase()}`;
        console.log(style.dim(`new ticket ${ticketId}`));
      } else if (line === '/ticket') {
        const ticket = await agent.getTicket(ticketId);
        console.log(
          ticket
            ? `${ticketId}: status ${ticket.status}, intent ${ticket.intent ?? '—'}, workflow ${ticket.workflow ?? '—'}, pending ${ticket.pending?.slot ?? '—'}\nslots: ${describeSlots(ticket)}`
            : `${ticketId} has no messages yet`,
        );
      } else if (line.startsWith('/events')) {
        const count = Number(line.split(/\s+/)[1] ?? 15) || 15;
        const { events } = await agent.inspect(ticketId);
        for (const event of events.slice(-count)) console.log(style.dim(`#${event.seq} ${event.type} ${JSON.stringify(event.data ?? {}).slice(0, 160)}`));
      } else if (line.startsWith('/approve') || line.startsWith('/reject')) {
        const [command, ...note] = line.split(/\s+/);
        const decision = { by: 'chat-supervisor', ...(note.length > 0 ? { note: note.join(' ') } : {}) };
        const before = backend.callCount;
        const result = command === '/approve' ? await agent.approve(ticketId, decision) : await agent.reject(ticketId, decision);
        console.log(`${style.green('agent ›')} ${result.reply}\n${style.dim(`        [${describeAction(result.action)} · ${result.ticket.status}]`)}`);
        const calls = backend.callsSince(before);
        if (calls.length > 0) console.log(style.dim(`        backend: ${describeCalls(calls)}`));
      } else if (line === '/release' || line.startsWith('/release ')) {
        const note = line.slice('/release'.length).trim();
        const released = await agent.release(ticketId, { by: 'chat-supervisor', ...(note ? { note } : {}) });
        console.log(style.yellow(`released ${ticketId}: status ${released.status}`));
      } else if (line.startsWith('/fail')) {
        const [, tool, mode = 'fail'] = line.split(/\s+/);
        if (!tool || !(BACKEND_FAULTS as readonly string[]).includes(mode)) console.log(`usage: /fail <tool> [${BACKEND_FAULTS.join('|')}]`);
        else {
          backend.setFault(tool, mode as BackendFault);
          console.log(style.yellow(`backend: ${tool} → ${mode}`));
        }
      } else if (line === '/heal') {
        backend.clearFaults();
        console.log(style.yellow('backend: all faults cleared'));
      } else if (line.startsWith('/llm-down')) {
        const count = Number(line.split(/\s+/)[1] ?? 3) || 3;
        if (mock) {
          mock.failNext('unavailable', count);
          console.log(style.yellow(`LLM: the next ${count} calls fail`));
        } else console.log('only the offline LLM (TICKETFLOW_LLM=mock) takes injected faults');
      } else if (line.startsWith('/')) {
        console.log(`unknown command ${line.split(/\s+/)[0]}; /help lists them`);
      } else {
        const before = backend.callCount;
        const result = await agent.handle({ ticketId, message: line });
        const calls = backend.callsSince(before);
        console.log(`${style.green('agent ›')} ${result.reply}`);
        console.log(
          style.dim(
            `        [${describeDecision(result.decision)} · ${result.ticket.workflow ?? 'no workflow'} · ${describeAction(result.action)} · ${result.ticket.status}]`,
          ),
        );
        if (calls.length > 0) console.log(style.dim(`        backend: ${describeCalls(calls)}`));
      }
    } catch (error) {
      console.log(style.red(`error: ${error instanceof Error ? error.message : String(error)}`));
    }
    input.prompt();
  }
  input.close();
  await store.close();
  return 0;
}
