import { randomBytes } from 'node:crypto';
import {
  createAgent,
  defineIntent,
  defineSlot,
  defineTool,
  defineWorkflow,
  extractLatestMessage,
  isIbanValid,
  isLuhnValid,
  readPromptContext,
  type Agent,
  type AgentHookName,
  type Logger,
  type TicketStore,
} from '@ticketflow/core';
import { MockLLM, type MockAnswer } from '@ticketflow/llm-mock';
import { z } from 'zod';
import { TelecomBackend } from '../../src/backend/telecom-backend.js';
import { createTelecomDomain } from '../../src/domain/telecom-domain.js';
import { decideTelecom } from '../../src/llm/decide-telecom.js';
import { serializeForScan } from './privacy-scan.js';

/**
 * The telecom agent of the example plus what a real carrier adds and the privacy test needs:
 * changing the payment method, with the card number, the IBAN and the billing e-mail as
 * `sensitive: true` slots (P1) that the workflow passes, in clear, to a payment gateway and
 * a receipt mailer. The LLM is the example's offline one, taught to read payment details the
 * way a model would (from the raw current message, P2).
 */

const digitsOnly = (value: string) => value.replace(/[\s-]/g, '');

export const cardNumber = defineSlot({
  name: 'card_number',
  schema: z
    .string()
    .transform(digitsOnly)
    .refine((value) => /^\d{13,19}$/.test(value) && isLuhnValid(value), 'must be a valid card number'),
  question: 'What is the number of the new card?',
  description: 'The payment card number the customer gives.',
  sensitive: true,
});

export const iban = defineSlot({
  name: 'iban',
  schema: z
    .string()
    .transform((value) => value.replace(/\s/g, '').toUpperCase())
    .refine(isIbanValid, 'must be a valid IBAN'),
  question: 'Which bank account (IBAN) should we debit?',
  description: 'The IBAN of the direct-debit account.',
  sensitive: true,
});

export const billingEmail = defineSlot({
  name: 'billing_email',
  schema: z.string().trim().toLowerCase().pipe(z.email()),
  question: 'Which e-mail address should receive the receipts?',
  description: 'Where receipts and invoices go.',
  sensitive: true,
});

export const updatePaymentMethod = defineIntent({
  name: 'update_payment_method',
  label: 'changing how you pay',
  description: 'The customer wants to change their payment card, direct-debit account or billing e-mail',
  examples: ['I want to change how I pay', 'new card for my bill'],
});

/** What the payment gateway and the mailer received: the workflow must get clear values (P1). */
export interface GatewayLog {
  registrations: { card: string; iban: string; email: string }[];
  receipts: { to: string; text: string }[];
  attempts: number;
}

/**
 * A careless habit of an app or its model, each one a way personal data can reach the engine
 * in a form it does not see coming:
 * - `returns-values-as-data`: `run` returns the e-mail and the IBAN in its `data`;
 * - `reshapes-values-for-tools`: the receipt shows the IBAN and the card in groups of four and
 *   goes to the address in capitals (values derived from the slots, not the slots' own text);
 * - `tool-error-echoes-value`: the gateway's first (retried) error quotes the card number;
 * - `tool-failure-echoes-value`: the mailer fails for good with an error quoting the address
 *   (the workflow fails and its first step is compensated);
 * - `model-misfiles-values`: the model also files the card number under the non-sensitive
 *   `phone` slot and the e-mail under `region`;
 * - `llm-error-echoes-message`: the model provider's first (retried) error quotes the message.
 */
export type CarelessHabit =
  | 'returns-values-as-data'
  | 'reshapes-values-for-tools'
  | 'tool-error-echoes-value'
  | 'tool-failure-echoes-value'
  | 'model-misfiles-values'
  | 'llm-error-echoes-message';

export const CARELESS_HABITS: readonly CarelessHabit[] = [
  'returns-values-as-data',
  'reshapes-values-for-tools',
  'tool-error-echoes-value',
  'tool-failure-echoes-value',
  'model-misfiles-values',
  'llm-error-echoes-message',
];

function paymentTools(log: GatewayLog, habit: CarelessHabit | undefined) {
  const registerPaymentMethod = defineTool({
    name: 'register_payment_method',
    description: 'Stores the card and the SEPA mandate at the payment provider',
    input: z.object({ card: z.string(), iban: z.string(), email: z.string() }),
    output: z.object({ mandateId: z.string(), cardLast4: z.string() }),
    run: async (input) => {
      log.attempts += 1;
      // The gateway's first attempt fails and is retried.
      if (log.attempts === 1)
        throw new Error(habit === 'tool-error-echoes-value' ? `card ${input.card} declined by the issuer (temporary, retry)` : 'gateway timeout (ETIMEDOUT)');
      log.registrations.push(input);
      return { mandateId: `MANDATE-${log.registrations.length}`, cardLast4: input.card.slice(-4) };
    },
    compensate: async () => {},
    timeoutMs: 1_000,
    retries: 1,
  });
  const sendReceipt = defineTool({
    name: 'send_payment_receipt',
    description: 'E-mails the customer what was registered',
    input: z.object({ to: z.string(), text: z.string() }),
    output: z.object({ sent: z.boolean() }),
    run: async (input) => {
      if (habit === 'tool-failure-echoes-value') throw new Error(`mailbox ${input.to} does not accept mail`);
      log.receipts.push(input);
      return { sent: true };
    },
    timeoutMs: 1_000,
  });
  return { registerPaymentMethod, sendReceipt };
}

const grouped = (value: string) => value.replace(/(.{4})(?=.)/g, '$1 ');

/** The reply of the payment workflow, as `run` writes it (clear values quoted). */
export const paymentReply = (values: { last4: string; iban: string; email: string }) =>
  `Done: your card ending in ${values.last4} and the direct debit from ${values.iban} are set up. The receipt goes to ${values.email}.`;

function paymentWorkflow(log: GatewayLog, habit: CarelessHabit | undefined) {
  const { registerPaymentMethod, sendReceipt } = paymentTools(log, habit);
  const reshape = habit === 'reshapes-values-for-tools';
  return defineWorkflow({
    name: 'update_payment_method',
    intent: updatePaymentMethod,
    description: 'change your payment method',
    required: [cardNumber, iban, billingEmail],
    confirm: true,
    tools: [registerPaymentMethod, sendReceipt],
    run: async (context) => {
      const { card_number: card, iban: account, billing_email: email } = context.slots;
      const mandate = await context.call(registerPaymentMethod, { card, iban: account, email });
      await context.call(sendReceipt, {
        to: reshape ? email.toUpperCase() : email,
        text: `Direct debit from ${reshape ? grouped(account) : account} and card ${reshape ? grouped(card) : card} are on file (mandate ${mandate.mandateId}).`,
      });
      return {
        status: 'resolved',
        reply: paymentReply({ last4: mandate.cardLast4, iban: account, email }),
        data: habit === 'returns-values-as-data' ? { mandateId: mandate.mandateId, receiptTo: email, debitAccount: account } : { mandateId: mandate.mandateId },
      };
    },
  });
}

const PAYMENT_WORDS = /\b(pay|payment|card|debit|iban|bank account|receipts?|invoices?)\b/i;
const CARD_PATTERN = /\b\d{4}(?:[ -]?\d{4}){2}[ -]?\d{1,7}\b/;
const IBAN_PATTERN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b/i;
const EMAIL_PATTERN = /[^\s@,;()<>]+@[^\s@,;()<>]+\.[a-z]{2,}/i;

/** Payment details as a model reads them from the raw message: as written. */
function paymentEntities(message: string): Record<string, string> {
  const entities: Record<string, string> = {};
  const ibanMatch = IBAN_PATTERN.exec(message);
  if (ibanMatch) entities.iban = ibanMatch[0];
  const rest = ibanMatch ? message.replace(ibanMatch[0], ' ') : message;
  const card = CARD_PATTERN.exec(rest);
  if (card) entities.card_number = card[0];
  const email = EMAIL_PATTERN.exec(message);
  if (email) entities.billing_email = email[0].replace(/[.!?]+$/, '');
  return entities;
}

/** The offline telecom LLM plus payment details (a {@link MockLLM} that keeps every call). */
export function createPrivacyLLM(habit?: CarelessHabit): MockLLM {
  const failedOnce = new Set<string>();
  return new MockLLM({
    name: 'mock',
    model: 'telecom-rules-1',
    maxRecordedCalls: Number.POSITIVE_INFINITY,
    respond: (prompt): MockAnswer => {
      const message = extractLatestMessage(prompt) ?? '';
      if (habit === 'llm-error-echoes-message' && !failedOnce.has(message)) {
        failedOnce.add(message);
        return { error: 'unavailable', message: `upstream rejected the request body: ${JSON.stringify({ contents: message })}` };
      }
      const entities = paymentEntities(message);
      const context = readPromptContext(prompt);
      const onPayment = context.intent === updatePaymentMethod.name;
      if (!PAYMENT_WORDS.test(message) && Object.keys(entities).length === 0) return decideTelecom(prompt);
      const telecom = decideTelecom(prompt);
      const confirm = telecom.entities?.confirm;
      if (habit === 'model-misfiles-values') {
        if (entities.card_number) entities.phone = entities.card_number;
        if (entities.billing_email) entities.region = entities.billing_email;
      }
      return {
        intent: PAYMENT_WORDS.test(message) || onPayment ? updatePaymentMethod.name : telecom.intent,
        confidence: 0.92,
        entities: { ...entities, ...(confirm !== undefined ? { confirm } : {}) },
      };
    },
  });
}

/** A log line as a pino logger writes it (level numbers, `msg`, the bound object). */
export type CapturedLine = Record<string, unknown> & { level: number; msg?: string };

/** A pino-like logger keeping every line it is given, at every level. */
export function captureLogger(lines: string[]): Logger {
  const write = (level: number) => (object: Record<string, unknown>, message?: string) =>
    void lines.push(serializeForScan({ level, time: Date.now(), ...object, ...(message !== undefined ? { msg: message } : {}) }));
  return { debug: write(20), info: write(30), warn: write(40), error: write(50) };
}

/** Every hook of the agent (DESIGN §3), so every payload a listener could see is kept. */
export const ALL_HOOKS: readonly AgentHookName[] = [
  'decision',
  'turn.completed',
  'ticket.event',
  'ticket.recovered',
  'listener.failed',
  'turn.degraded',
  'execution.completed',
  'execution.failed',
  'execution.suspended',
  'execution.superseded',
  'execution.abandoned',
  'approval.requested',
  'approval.expired',
  'input.expired',
  'llm.circuit_opened',
  'llm.circuit_closed',
];

/** What {@link createPrivacyAgent} returns. */
export interface PrivacyAgent {
  agent: Agent;
  llm: MockLLM;
  gateway: GatewayLog;
  /** Every line of the agent's logger. */
  logLines: string[];
  /** Every hook payload, serialised as a listener would see it. */
  hookPayloads: { hook: string; json: string }[];
}

/** A new random key, as `openssl rand -base64 32` makes one. */
export const newEncryptionKey = () => randomBytes(32).toString('base64');

/**
 * The telecom agent with the payment workflow on `store`, a capturing logger and a listener
 * on every hook. One listener of `turn.completed` fails the way an analytics sink does,
 * quoting the reply, so the agent's own logger has something to say.
 */
export function createPrivacyAgent(options: { store: TicketStore; encryptionKey: string; habit?: CarelessHabit }): PrivacyAgent {
  const gateway: GatewayLog = { registrations: [], receipts: [], attempts: 0 };
  const domain = createTelecomDomain(new TelecomBackend({ latencyMs: 0 }), { toolTimeoutMs: 1_000 });
  const llm = createPrivacyLLM(options.habit);
  const logLines: string[] = [];
  const agent = createAgent({
    store: options.store,
    llm,
    intents: [...domain.intents, updatePaymentMethod],
    workflows: [...domain.workflows, paymentWorkflow(gateway, options.habit)],
    slots: domain.slots,
    encryptionKey: options.encryptionKey,
    logger: captureLogger(logLines),
    llmRetry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 },
    toolRetry: { minDelayMs: 1, maxDelayMs: 5 },
  });
  const hookPayloads: PrivacyAgent['hookPayloads'] = [];
  for (const hook of ALL_HOOKS) agent.on(hook, (payload: unknown) => void hookPayloads.push({ hook, json: serializeForScan(payload) }));
  agent.on('turn.completed', (event) => {
    throw new Error(`analytics sink refused the turn: ${event.reply}`);
  });
  return { agent, llm, gateway, logLines, hookPayloads };
}
