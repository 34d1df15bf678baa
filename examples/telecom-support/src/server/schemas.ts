/**
 * JSON schemas of the routes, validated by Fastify (ajv) before a handler runs. Ticket ids
 * and message ids: 1–128 characters of `[A-Za-z0-9._:-]`; messages: 1–4,000 characters.
 * Unknown body properties are refused rather than ignored, so a typo such as `messageID`
 * (which would silently disable de-duplication) is a 400.
 */
export const ID_PATTERN = '^[A-Za-z0-9._:-]{1,128}$';
export const ID_REGEX = new RegExp(ID_PATTERN);
export const MAX_MESSAGE_CHARACTERS = 4_000;

export const ticketParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: ID_PATTERN } },
} as const;

export const messageBody = {
  type: 'object',
  required: ['message'],
  additionalProperties: false,
  properties: {
    message: { type: 'string', minLength: 1, maxLength: MAX_MESSAGE_CHARACTERS },
    messageId: { type: 'string', pattern: ID_PATTERN },
  },
} as const;

export const approvalBody = {
  type: 'object',
  required: ['by'],
  additionalProperties: false,
  properties: {
    by: { type: 'string', minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001f\\u007f]+$' },
    note: { type: 'string', maxLength: 4_000 },
  },
} as const;

export interface TicketParams {
  id: string;
}

export interface MessageBody {
  message: string;
  messageId?: string;
}

export interface ApprovalBody {
  by: string;
  note?: string;
}
