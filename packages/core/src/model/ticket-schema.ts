import { z } from 'zod';
import { TICKET_SCHEMA_VERSION, TICKET_STATUSES, type TicketDoc } from './ticket.js';

const status = z.enum(TICKET_STATUSES);
const isoTime = z.string().min(10);

const action = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ask'), slot: z.string(), question: z.string(), workflow: z.string().optional() }),
  z.object({
    type: z.literal('execute'),
    workflow: z.string(),
    outcome: z.enum(['resolved', 'escalated', 'failed', 'awaiting_approval', 'needs_human']),
    reason: z.string().optional(),
  }),
  z.object({ type: z.literal('escalate'), reason: z.string() }),
  z.object({ type: z.literal('fallback'), reason: z.string() }),
  z.object({ type: z.literal('cancelled'), workflow: z.string(), reason: z.string().optional() }),
  z.object({ type: z.literal('acknowledge') }),
  z.object({ type: z.literal('wait'), workflow: z.string(), reason: z.string() }),
  z.object({ type: z.literal('erased') }),
]);

const slotValue = z.object({
  value: z.unknown(),
  source: z.enum(['user', 'inferred', 'tool']),
  turn: z.number().int().min(0),
  from: z.array(z.string()).optional(),
  spent: z.boolean().optional(),
  sealed: z.string().optional(),
});

const step = z.object({
  index: z.number().int().min(0),
  tool: z.string(),
  key: z.string(),
  input: z.unknown(),
  state: z.enum(['started', 'completed', 'failed', 'awaiting_approval', 'approved']),
  output: z.unknown().optional(),
  sealedInput: z.string().optional(),
  sealedOutput: z.string().optional(),
  error: z.string().optional(),
  errorDetail: z
    .object({ name: z.string(), message: z.string(), fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional() })
    .optional(),
  sealedErrorDetail: z.string().optional(),
  ran: z.boolean().optional(),
  attempts: z.number().int().min(0),
  approval: z.object({ by: z.string(), note: z.string().optional(), at: isoTime }).optional(),
  startedAt: isoTime.optional(),
  durationMs: z.number().min(0).optional(),
});

const call = z.object({
  tool: z.string(),
  key: z.string(),
  input: z.unknown(),
  output: z.unknown(),
  sealedInput: z.string().optional(),
  sealedOutput: z.string().optional(),
});

/**
 * The zod schema of a stored {@link TicketDoc} (current schema version). The engine checks
 * only the shape it relies on when it loads a ticket (a full parse on every turn would be
 * slow); use this to validate documents in tests, audits and migrations.
 */
export const ticketDocSchema: z.ZodType<TicketDoc> = z.object({
  schemaVersion: z.literal(TICKET_SCHEMA_VERSION),
  id: z.string().min(1),
  incarnation: z.string().min(1),
  createdAt: isoTime,
  updatedAt: isoTime,
  turn: z.number().int().min(0),
  status,
  intent: z.string().nullable(),
  workflow: z.string().nullable(),
  slots: z.record(z.string(), slotValue),
  deferred: z.array(z.string()),
  pending: z.object({ slot: z.string(), workflow: z.string().nullable() }).nullable(),
  confirmation: z.object({ workflow: z.string(), values: z.record(z.string(), z.unknown()) }).nullable(),
  outcomes: z.record(
    z.string(),
    z.object({
      outcome: z.enum(['resolved', 'escalated', 'failed', 'cancelled', 'rejected', 'abandoned']),
      turn: z.number().int().min(0),
      values: z.record(z.string(), z.unknown()),
      allValues: z.record(z.string(), z.unknown()).optional(),
      calls: z.array(call).optional(),
      retryMessageId: z.string().optional(),
      retryDeclined: z.literal(true).optional(),
      leftCalls: z.array(call).optional(),
    }),
  ),
  transcript: z.array(
    z.object({
      role: z.enum(['user', 'agent']),
      text: z.string(),
      at: isoTime,
      turn: z.number().int().min(0),
      messageId: z.string().optional(),
      actedOn: z.boolean().optional(),
    }),
  ),
  processed: z.array(
    z.object({
      messageId: z.string(),
      turn: z.number().int().min(0),
      reply: z.string(),
      action,
      decision: z.object({ intent: z.string().nullable(), confidence: z.number().min(0).max(1), entities: z.record(z.string(), z.unknown()) }).nullable(),
      textHash: z.string(),
    }),
  ),
  seen: z.string(),
  clarification: z.object({ slot: z.string(), count: z.number().int().min(1) }).nullable(),
  execution: z
    .object({
      id: z.string(),
      workflow: z.string(),
      turn: z.number().int().min(1),
      owner: z.string(),
      leaseExpiresAt: z.number().nullable(),
      leaseMs: z.number().positive(),
      resumeStatus: status,
      messageId: z.string().nullable(),
      steps: z.array(step),
      answers: z.array(z.object({ slot: z.string(), value: z.unknown().optional(), sealed: z.string().optional() })),
      awaiting: z.object({ slot: z.string(), since: isoTime, question: z.string().optional(), ask: z.number().int().min(0).optional() }).nullable(),
      supersedes: z.object({ turn: z.number().int(), calls: z.array(call) }).nullable(),
      inputs: z.record(z.string(), slotValue).optional(),
    })
    .nullable(),
  usage: z.object({ llmCalls: z.number().int().min(0), inputTokens: z.number().min(0), outputTokens: z.number().min(0), estimatedCost: z.number().min(0) }),
}) as unknown as z.ZodType<TicketDoc>;
