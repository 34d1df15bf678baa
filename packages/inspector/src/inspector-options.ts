import { type Agent, ConfigurationError, type IntentDefinition, type ReplayOptions, type TicketStore, type WorkflowDefinition } from '@ticketflow/core';
import { parseOptions } from '@ticketflow/core/adapter';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { replayIssues } from './check-replay-options.js';

/**
 * What a request to the inspector wants to do, passed to {@link AuthorizeFunction}:
 * `view` (the page's data: queues, tickets, their events), `replay` (re-run a ticket against
 * the running code; reads only), and the three operator actions that change a ticket.
 */
export type InspectorAction = 'view' | 'replay' | 'approve' | 'reject' | 'release';

/** The second argument of {@link AuthorizeFunction}. */
export interface AuthorizeContext {
  /** What the request wants to do. */
  action: InspectorAction;
  /** The ticket concerned, or null for the queues and the session. */
  ticketId: string | null;
}

/**
 * What {@link AuthorizeFunction} answers:
 * - `false`: refused (401, and the page asks for a credential);
 * - `true`: may look (queues, timelines, replay), read-only: approve / reject / release are
 *   refused (403 `read_only`) because there is no identity to record;
 * - `{ by }`: may look and act; `by` (1–256 characters) is recorded as the approver in the
 *   ticket's events.
 */
export type Authorization = boolean | { by: string };

/**
 * Decides who may see the inspector and who may act. Called for every API request with
 * the Fastify request (read its headers, cookies or `request.user` set by your own auth
 * plugin) and what the request wants to do. A throw goes to your app's error handler.
 *
 * @example
 * ```ts
 * authorize: (request) => request.headers.authorization === `Bearer ${process.env.OPERATOR_TOKEN}` && { by: 'operator' }
 * ```
 */
export type AuthorizeFunction = (request: FastifyRequest, context: AuthorizeContext) => Authorization | Promise<Authorization>;

/**
 * What the replay needs: `replayTicket`'s options without the ticket id — the store the
 * agent writes to (only read) and the definitions of the *running* code (`intents`,
 * `workflows`, `slots`), plus the agent options that shape decisions (`encryptionKey` for
 * sensitive slots, `confidenceThreshold`, `maxClarifications`, `redact`).
 */
export type InspectorReplayOptions = Omit<ReplayOptions, 'ticketId'>;

/** Options of the {@link inspector} plugin (plus Fastify's own `prefix`, `logLevel`, `logSerializers`). */
export interface InspectorOptions {
  /** The agent whose tickets to show (from `createAgent`). */
  agent: Agent;
  /** Who may see and who may act: required, the inspector never serves openly. */
  authorize: AuthorizeFunction;
  /** Enables "replay against the running code"; without it the replay answers 501. */
  replay?: InspectorReplayOptions | undefined;
  /** Shown in the page's header, e.g. `Telecom support`. Default `ticketflow inspector`. */
  title?: string | undefined;
  /** Fastify's route prefix, e.g. `/inspector` (the page is at `/inspector/`). */
  prefix?: string | undefined;
}

/** The options after validation. */
export interface ResolvedInspectorOptions {
  agent: Agent;
  authorize: AuthorizeFunction;
  replay: InspectorReplayOptions | null;
  title: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const hasMethods = (value: unknown, names: readonly string[]) => isObject(value) && names.every((name) => typeof value[name] === 'function');

const agentMethods = ['list', 'inspect', 'approve', 'reject', 'release'] as const;
const storeMethods = ['load', 'events', 'commit'] as const;

const optionsSchema = z.object({
  agent: z.custom<Agent>((value) => hasMethods(value, agentMethods), {
    error: `must be an agent from createAgent (with ${agentMethods.join(', ')})`,
  }),
  authorize: z.custom<AuthorizeFunction>((value) => typeof value === 'function', {
    error:
      'is required: a function (request, { action, ticketId }) => boolean | { by } deciding who may see tickets and who may approve — the inspector shows customer conversations and never serves openly',
  }),
  replay: z
    .looseObject({
      store: z.custom<TicketStore>((value) => hasMethods(value, storeMethods), { error: "must be the agent's TicketStore" }),
      intents: z.array(z.custom<IntentDefinition>(isObject, { error: 'must be an intent from defineIntent' })),
      workflows: z.array(z.custom<WorkflowDefinition>(isObject, { error: 'must be a workflow from defineWorkflow' })),
      ticketId: z.never({ error: 'is given per request: leave it out' }).optional(),
    })
    .optional(),
  title: z.string().min(1).max(120).optional(),
  // Fastify's own register options reach the plugin too.
  prefix: z.string().optional(),
  logLevel: z.string().optional(),
  logSerializers: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Validates the plugin's options, listing every problem at once.
 * @throws {ConfigurationError} for a missing `authorize` or `agent`, a misspelt key, a bad `replay` (also what
 * `replayTicket` would refuse: a sensitive slot without an `encryptionKey`, a bad key, bad definitions).
 */
export function resolveInspectorOptions(options: unknown): ResolvedInspectorOptions {
  const parsed = parseOptions(optionsSchema, options, 'inspector');
  const replay = (parsed.replay as InspectorReplayOptions | undefined) ?? null;
  const issues = replay ? replayIssues(replay) : [];
  if (issues.length > 0) throw new ConfigurationError({ message: 'Invalid inspector options', issues });
  return {
    agent: parsed.agent,
    authorize: parsed.authorize,
    replay,
    title: parsed.title ?? 'ticketflow inspector',
  };
}
