import { z } from 'zod';
import { TICKET_STATUSES } from './schemas.js';

/**
 * The response side of the HTTP contract. Fastify serialises every answer through these
 * (so an answer that breaks the contract is caught, logged and answered 503, never sent),
 * and the OpenAPI document publishes them as components. Objects that come from the
 * agent are open (`additionalProperties` allowed): the core may add fields, and a client
 * must ignore the ones it does not know. Action types may grow too ("more may be added"),
 * so `Action` lists the known shapes and accepts any other `{ type }`.
 */

const isoTime = z.string().meta({ description: 'ISO 8601 time.', example: '2025-06-01T09:30:00.000Z' });
const status = z.string().meta({ description: `The ticket's status: ${TICKET_STATUSES.join(', ')} (more may be added).`, example: 'collecting' });

export const errorEnvelope = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable machine-readable code.', example: 'ticket_not_found' }),
      message: z.string().meta({ description: 'What happened and what to do, in English.' }),
      details: z.record(z.string(), z.unknown()).optional().meta({ description: 'Structured details (e.g. `issues`, `outcome`, `allow`).' }),
    }),
  })
  .meta({ id: 'Error', description: 'Every error answer: `{ error: { code, message, details? } }`.' });

export const actionSchema = z
  .union([
    z.looseObject({ type: z.literal('ask'), slot: z.string(), question: z.string(), workflow: z.string().optional() }),
    z.looseObject({
      type: z.literal('execute'),
      workflow: z.string(),
      outcome: z.string().meta({ description: 'resolved, escalated, failed (rolled back), awaiting_approval, needs_human, …' }),
      reason: z.string().optional(),
    }),
    z.looseObject({ type: z.literal('escalate'), reason: z.string() }),
    z.looseObject({ type: z.literal('fallback'), reason: z.string() }),
    z.looseObject({ type: z.literal('cancelled'), workflow: z.string(), reason: z.string().optional() }),
    z.looseObject({ type: z.literal('acknowledge') }),
    z.looseObject({ type: z.literal('wait'), workflow: z.string(), reason: z.string() }),
    z.looseObject({ type: z.string() }).meta({ description: 'An action type added later; clients treat it like `acknowledge`.' }),
  ])
  .meta({ id: 'Action', description: 'What the agent did this turn.' });

export const decisionSchema = z
  .looseObject({
    intent: z.string().nullable(),
    confidence: z.number().min(0).max(1),
    entities: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Decision', description: "The LLM's decision: intent, how clear it is, and the entities it read." });

const slotValue = z.looseObject({
  value: z.unknown(),
  source: z.string().meta({ description: 'user, inferred or tool.' }),
  turn: z.number().int(),
  from: z.array(z.string()).optional(),
  spent: z.boolean().optional(),
});

const transcriptEntry = z.looseObject({
  role: z.enum(['user', 'agent']),
  text: z.string(),
  at: isoTime,
  turn: z.number().int(),
  messageId: z.string().optional(),
  actedOn: z.boolean().optional(),
});

export const ticketSchema = z
  .looseObject({
    id: z.string(),
    version: z.number().int().min(1),
    status,
    intent: z.string().nullable(),
    workflow: z.string().nullable(),
    slots: z.record(z.string(), slotValue),
    deferred: z.array(z.string()),
    transcript: z.array(transcriptEntry).meta({ description: 'The latest entries (at least the last 50); the full history is in the events.' }),
    turn: z.number().int().min(0),
    createdAt: isoTime,
    updatedAt: isoTime,
    pending: z.looseObject({ slot: z.string(), workflow: z.string().nullable() }).nullable(),
    confirmation: z.looseObject({ workflow: z.string(), values: z.record(z.string(), z.unknown()) }).nullable(),
    outcomes: z.record(z.string(), z.looseObject({ outcome: z.string(), turn: z.number().int(), values: z.record(z.string(), z.unknown()) })),
    execution: z
      .looseObject({ id: z.string(), workflow: z.string(), steps: z.array(z.looseObject({ index: z.number().int(), tool: z.string(), state: z.string() })) })
      .nullable()
      .meta({ description: 'The execution in flight or parked for approval; null when none.' }),
    usage: z.looseObject({ llmCalls: z.number(), inputTokens: z.number(), outputTokens: z.number(), estimatedCost: z.number() }),
  })
  .meta({ id: 'Ticket', description: 'A ticket as the agent sees it (TicketView).' });

export const turnResponse = z
  .object({
    reply: z.string().meta({ description: 'The text to show the customer.' }),
    action: actionSchema,
    ticket: ticketSchema,
    decision: decisionSchema.nullable().meta({ description: 'Null when the LLM could not decide (fallback) or none was needed.' }),
    duplicate: z.boolean().meta({ description: 'True when this messageId was processed before and this is the recorded result.' }),
  })
  .meta({ id: 'TurnResult' });

export const approvalResponse = z.object({ reply: z.string(), action: actionSchema, ticket: ticketSchema }).meta({ id: 'ApprovalResult' });

export const ticketResponse = z.object({ ticket: ticketSchema }).meta({ id: 'TicketEnvelope' });

export const eventSchema = z
  .looseObject({
    seq: z.number().int().min(1).meta({ description: 'Position in the ticket log, from 1.' }),
    type: z.string().meta({ example: 'decision.made' }),
    at: isoTime,
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'TicketEvent' });

export const eventsResponse = z.object({ events: z.array(eventSchema) }).meta({ id: 'TicketEvents' });

export const ticketSummarySchema = z
  .looseObject({ ticketId: z.string(), version: z.number().int(), status, updatedAt: isoTime, claimExpiresAt: isoTime.nullable() })
  .meta({ id: 'TicketSummary' });

export const ticketPageResponse = z
  .object({
    tickets: z.array(ticketSummarySchema).meta({ description: 'Oldest update first.' }),
    cursor: z.string().nullable().meta({ description: 'Pass it as `cursor` for the next page; null on the last page.' }),
  })
  .meta({ id: 'TicketPage' });

export const healthResponse = z.object({ status: z.literal('ok'), uptimeSeconds: z.number().int().min(0) }).meta({ id: 'Health' });
export const readinessResponse = z.object({ status: z.literal('ready') }).meta({ id: 'Readiness' });
/** The OpenAPI document itself (validated as OpenAPI 3.1 by the contract tests). */
export const openApiResponse = z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }).meta({ id: 'OpenApiDocument' });
