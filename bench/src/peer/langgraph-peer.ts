import { createHash } from 'node:crypto';
import { Annotation, END, START, StateGraph, type BaseCheckpointSaver } from '@langchain/langgraph';
import { z } from 'zod';
import type { DecisionRecord, ProcessedMessage, SlotValue, TicketDoc, TicketUsage, TranscriptEntry } from '@ticketflow/core';

/** The kinds of turn the peer runs: like ticketflow's ask and execute turns. */
export type PeerTurnKind = 'ask' | 'execute';

const WINDOW = 50;
const keepLast = <Entry>(left: Entry[], right: Entry | Entry[]): Entry[] => left.concat(right).slice(-WINDOW);

/**
 * The peer's state: the fields of a ticketflow ticket document as LangGraph channels, so a
 * checkpoint holds as much as a ticket (seeded from the same steady-state document). The
 * transcript and the processed messages are appended through reducers and windowed to 50
 * entries, like the ticket's; the rest are last-value channels. `message` … `action` are
 * the turn's input and output.
 */
const PeerState = Annotation.Root({
  schemaVersion: Annotation<number>,
  id: Annotation<string>,
  createdAt: Annotation<string>,
  updatedAt: Annotation<string>,
  turn: Annotation<number>,
  status: Annotation<string>,
  intent: Annotation<string | null>,
  workflow: Annotation<string | null>,
  slots: Annotation<Record<string, SlotValue>>,
  deferred: Annotation<string[]>,
  pending: Annotation<unknown>,
  confirmation: Annotation<unknown>,
  outcomes: Annotation<Record<string, unknown>>,
  transcript: Annotation<TranscriptEntry[]>({ reducer: keepLast, default: () => [] }),
  processed: Annotation<ProcessedMessage[]>({ reducer: keepLast, default: () => [] }),
  execution: Annotation<unknown>,
  usage: Annotation<TicketUsage>,
  message: Annotation<string>,
  messageId: Annotation<string | null>,
  decision: Annotation<DecisionRecord | null>,
  reply: Annotation<string>,
  action: Annotation<unknown>,
});
type State = typeof PeerState.State;

const decisionSchema = z.object({ intent: z.string().nullable(), confidence: z.number().min(0).max(1), entities: z.record(z.string(), z.unknown()) });
const slotSchemas: Record<string, z.ZodType> = {
  service_type: z.enum(['fiber', 'mobile']),
  region: z.string().min(2),
  device_type: z.string(),
  phone: z.string(),
};
const questions: Record<string, string> = { service_type: 'Fiber or mobile?', region: 'Which city?' };
const regionInput = z.object({ region: z.string() });
const tools = [
  { name: 'check_outage', output: z.object({ outage: z.boolean() }), run: async () => ({ outage: false }) },
  { name: 'reset_modem', output: z.object({ done: z.boolean() }), run: async () => ({ done: true }) },
];
const PROMPT_HEADER = [
  'You classify customer-support messages. Answer with one JSON object only: {"intent", "confidence", "entities"}.',
  '## Intents',
  '- no_internet: Internet does not work at all',
  '- slow_internet: Internet is slow',
  '## Slots',
  '- service_type: Fiber or mobile?',
  '- region: Which city?',
  '- device_type: Which device?',
].join('\n');

/**
 * The peer's turn: a two-node `StateGraph` compiled with the given checkpointer.
 * - decide: builds a prompt from the state (header, known facts, last 6 entries, the
 *   message), calls a stubbed instant LLM, parses and validates its JSON with zod, and
 *   applies it like a policy (slot values through their schemas, intent above 0.7,
 *   workflow by service type);
 * - act: asks for the first missing required slot, or runs the workflow's two tools
 *   (input and output validated with zod, as `defineTool` does) and records the outcome.
 * One `invoke` per customer message with `thread_id` = the ticket.
 */
export function buildPeerGraph(checkpointer: BaseCheckpointSaver, kind: PeerTurnKind) {
  let calls = 0;
  const llm = async (_prompt: string) => {
    calls += 1;
    return kind === 'ask'
      ? '{"intent":"no_internet","confidence":0.9,"entities":{}}'
      : `{"intent":"no_internet","confidence":0.9,"entities":{"service_type":"fiber","region":"Region ${calls}"}}`;
  };

  const decide = async (state: State): Promise<Partial<State>> => {
    const known = Object.entries(state.slots ?? {}).map(([name, slot]) => `${name}=${JSON.stringify(slot.value)}`);
    const history = state.transcript.slice(-6).map((entry) => `${entry.role}: ${entry.text}`);
    const prompt = [
      PROMPT_HEADER,
      '## Current ticket',
      `- intent: ${state.intent ?? 'none yet'}`,
      `- known: ${known.join(', ')}`,
      '## Recent conversation',
      ...history,
      '## Latest customer message',
      state.message,
    ].join('\n');
    const decision = decisionSchema.parse(JSON.parse(await llm(prompt)));
    const turn = state.turn + 1;
    const slots = { ...state.slots };
    for (const [name, value] of Object.entries(decision.entities)) {
      if (slotSchemas[name]?.safeParse(value).success && slots[name]?.value !== value) slots[name] = { value, source: 'user', turn };
    }
    const intent = decision.intent !== null && decision.confidence >= 0.7 ? decision.intent : state.intent;
    const workflow =
      intent === 'no_internet'
        ? slots.service_type?.value === 'mobile'
          ? 'mobile_troubleshoot'
          : 'fiber_troubleshoot'
        : intent === 'slow_internet'
          ? 'speed_check'
          : null;
    const usage = {
      ...state.usage,
      llmCalls: state.usage.llmCalls + 1,
      inputTokens: state.usage.inputTokens + 100,
      outputTokens: state.usage.outputTokens + 20,
    };
    return { turn, intent, workflow, slots, decision, usage, updatedAt: new Date().toISOString() };
  };

  const act = async (state: State): Promise<Partial<State>> => {
    const at = new Date().toISOString();
    const missing = ['service_type', 'region'].find((name) => state.slots[name] === undefined);
    let update: Partial<State>;
    if (missing !== undefined) {
      const question = questions[missing]!;
      update = {
        status: 'collecting',
        pending: { slot: missing, workflow: state.workflow },
        reply: question,
        action: { type: 'ask', slot: missing, question },
      };
    } else {
      const steps = [];
      for (const [index, tool] of tools.entries()) {
        const input = regionInput.parse({ region: String(state.slots.region!.value) });
        const output = tool.output.parse(await tool.run());
        steps.push({ index, tool: tool.name, key: `${state.id}:${state.turn}:${index}`, input, state: 'completed', output, attempts: 1 });
      }
      const values = { service_type: state.slots.service_type!.value, region: state.slots.region!.value };
      update = {
        status: 'resolved',
        pending: null,
        execution: { id: `${state.id}:${state.turn}`, workflow: state.workflow, turn: state.turn, steps },
        outcomes: { ...state.outcomes, [state.workflow!]: { outcome: 'resolved', turn: state.turn, values } },
        reply: 'I reset your modem.',
        action: { type: 'execute', workflow: state.workflow, outcome: 'resolved' },
      };
    }
    const reply = update.reply!;
    const action = update.action as ProcessedMessage['action'];
    return {
      ...update,
      transcript: [{ role: 'agent', text: reply, at, turn: state.turn }],
      processed:
        state.messageId === null
          ? []
          : [
              {
                messageId: state.messageId,
                turn: state.turn,
                reply,
                action,
                decision: state.decision,
                textHash: createHash('sha256').update(state.message).digest('base64url').slice(0, 16),
              },
            ],
    };
  };

  return new StateGraph(PeerState)
    .addNode('decide', decide)
    .addNode('act', act)
    .addEdge(START, 'decide')
    .addEdge('decide', 'act')
    .addEdge('act', END)
    .compile({ checkpointer });
}

export type PeerGraph = ReturnType<typeof buildPeerGraph>;

/** The input of one customer message. */
export function peerInput(message: string, messageId: string, turn: number): Partial<State> {
  return { message, messageId, transcript: [{ role: 'user', text: message, at: new Date().toISOString(), turn, messageId, actedOn: true }] };
}

/** The first input of a thread: the whole steady-state ticket document, so the state has its size. */
export function peerSeed(document: TicketDoc, threadId: string): Partial<State> {
  const { transcript, processed, ...rest } = structuredClone(document);
  return { ...rest, id: threadId, transcript, processed, message: 'seed', messageId: `seed-${threadId}` } as Partial<State>;
}

/**
 * A measured variant for the peer: one `invoke` per iteration on the current thread.
 * Before each block a new thread starts from the seed (outside the timing) and the previous
 * one is deleted: LangGraph keeps every checkpoint of a thread, and `MemorySaver` finds the
 * latest by sorting them all, so a thread that grew for the whole run would charge the peer
 * for the length of the benchmark rather than for a turn.
 */
export function peerVariant(input: { name: string; saver: BaseCheckpointSaver; kind: PeerTurnKind; seed: TicketDoc; threadPrefix?: string }) {
  const graph = buildPeerGraph(input.saver, input.kind);
  let thread: string | null = null;
  let blocks = 0;
  return {
    name: input.name,
    async beforeBlock() {
      const previous = thread;
      thread = `${input.threadPrefix ?? 'peer'}-${input.kind}-${(blocks += 1)}`;
      await graph.invoke(peerSeed(input.seed, thread), { configurable: { thread_id: thread } });
      if (previous !== null) await input.saver.deleteThread(previous);
    },
    run: (index: number) =>
      graph.invoke(peerInput(`my internet is still down, attempt number ${index}`, `run-${index}`, index), { configurable: { thread_id: thread } }),
  };
}
