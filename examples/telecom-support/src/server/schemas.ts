import { z } from 'zod';
import { TICKET_STATUSES } from '@ticketflow/core';

/**
 * The request side of the HTTP contract, as zod schemas: Fastify validates with them
 * (fastify-type-provider-zod), the handlers get their parsed types, and the OpenAPI
 * document is generated from them — one definition for all three.
 *
 * Ticket ids and message ids: 1–128 characters of `[A-Za-z0-9._:-]`, other than `.` and `..`
 * (clients remove those as dot segments of a path, RFC 3986); messages: 1–4,000
 * characters. Unknown body properties are refused rather than ignored, so a typo such as
 * `messageID` (which would silently disable de-duplication) is a 400.
 */
export const ID_PATTERN = '^[A-Za-z0-9._:-]{1,128}$';
export const ID_REGEX = new RegExp(ID_PATTERN);
/** A ticket id, which is a path segment: not `.` or `..`. */
export const TICKET_ID_PATTERN = '^(?!\\.\\.?$)[A-Za-z0-9._:-]{1,128}$';
export const MAX_MESSAGE_CHARACTERS = 4_000;
/** Largest page of `GET /tickets/:id/events` and `GET /tickets`. */
export const MAX_PAGE = 1_000;
export const DEFAULT_EVENTS_PAGE = 100;
export const DEFAULT_TICKETS_PAGE = 50;
/** The JSON Schema keyword that marks a query-string integer and its range in the generated document. */
export const INTEGER_RANGE = 'x-integer-range';

/** The statuses a ticket can have (the queues of `GET /tickets`), from the engine. */
export { TICKET_STATUSES };

const ticketId = (what: string) =>
  z
    .string()
    .regex(new RegExp(TICKET_ID_PATTERN), 'must be 1–128 characters of [A-Za-z0-9._:-], other than . and ..')
    .meta({ description: what, example: 'T-1001' });

/** The ticket id of a route that starts a ticket when it is unknown (a customer's message). */
export const newTicketParams = z.strictObject({ id: ticketId('The ticket id (an unknown id starts a new ticket).') });

/** The ticket id of a route that reads or changes a ticket that exists (404 when it does not). */
export const ticketParams = z.strictObject({ id: ticketId('The ticket id.') });

/**
 * A query-string integer: digits only (no sign, exponent or spaces), then range-checked. The
 * OpenAPI document publishes it as an integer with its range (`x-integer-range`, turned into
 * `minimum`/`maximum` by `decorateDocument`), so clients can check it before sending.
 */
const queryInteger = (name: string, min: number, max: number, description: string) =>
  z
    .string()
    .regex(/^\d{1,16}$/, `${name} must be an integer from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`))
    .meta({ description, [INTEGER_RANGE]: [min, max] });

export const eventsQuery = z.object({
  after: queryInteger('after', 0, Number.MAX_SAFE_INTEGER, 'Only events with a seq above this (default 0).').optional(),
  limit: queryInteger('limit', 1, MAX_PAGE, `Page size, 1–${MAX_PAGE} (default ${DEFAULT_EVENTS_PAGE}).`).optional(),
});

const STATUS_LIST = new RegExp(`^(${TICKET_STATUSES.join('|')})(,(${TICKET_STATUSES.join('|')}))*$`);

/** The message for a `status` filter that names something else than a status. */
function statusError(input: unknown): string {
  const names = (Array.isArray(input) ? input : [input]).flatMap((value) => String(value).split(','));
  const unknown = names.find((name) => !(TICKET_STATUSES as readonly string[]).includes(name));
  return `${unknown === undefined ? 'bad status filter' : `unknown status ${JSON.stringify(unknown.slice(0, 40))}`}; use ${TICKET_STATUSES.join(', ')} (a comma list or the parameter repeated)`;
}

export const ticketsQuery = z.object({
  status: z
    .union(
      [
        z.string().regex(STATUS_LIST, { error: (issue) => statusError(issue.input) }),
        z
          .array(z.enum(TICKET_STATUSES, { error: (issue) => statusError(issue.input) }))
          .min(1)
          .max(TICKET_STATUSES.length),
      ],
      { error: (issue) => statusError(issue.input) },
    )
    .transform((value) => [...new Set(Array.isArray(value) ? value : (value.split(',') as (typeof TICKET_STATUSES)[number][]))])
    .meta({
      description: `Only tickets in these statuses: a comma list (\`needs_human,awaiting_approval\`) or the parameter repeated. One of ${TICKET_STATUSES.join(', ')}.`,
      example: 'needs_human',
    })
    .optional(),
  cursor: z
    .string()
    .regex(/^[\x21-\x7e]{1,1024}$/, 'cursor must be the opaque cursor of the previous page')
    .meta({ description: 'The `cursor` of the previous page.' })
    .optional(),
  limit: queryInteger('limit', 1, MAX_PAGE, `Page size, 1–${MAX_PAGE} (default ${DEFAULT_TICKETS_PAGE}).`).optional(),
});

export const messageBody = z.strictObject({
  message: z
    .string()
    .min(1)
    .max(MAX_MESSAGE_CHARACTERS)
    .meta({ description: 'What the customer wrote (1–4,000 characters).', example: 'My fiber internet is down' }),
  messageId: z
    .string()
    .regex(ID_REGEX, 'must be 1–128 characters of [A-Za-z0-9._:-]')
    .meta({
      description:
        'Makes a retry safe: a messageId is processed once; a resend returns the recorded reply, action and decision (`duplicate: true`) with the ticket as it is now.',
      example: 'm-1',
    })
    .optional(),
});

/**
 * The body of the operator decisions (approve, reject, release). There is no `by`: who
 * decided is the authenticated operator, never what the body claims.
 */
export const operatorDecisionBody = z.strictObject(
  {
    note: z
      .string()
      .max(4_000)
      .regex(/^[^\u0000]*$/, 'must not contain NUL')
      .meta({ description: 'Why (recorded on the ticket).', example: 'double charge confirmed on the invoice' })
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' && issue.keys.includes('by')
        ? '"by" is not accepted: the decision is recorded under the name of the operator token that authenticated the request'
        : undefined,
  },
);

export type TicketParams = z.infer<typeof ticketParams>;
export type MessageBody = z.infer<typeof messageBody>;
export type OperatorDecisionBody = z.infer<typeof operatorDecisionBody>;
