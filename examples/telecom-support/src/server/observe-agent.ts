import type { Agent } from '@ticketflow/core';
import type { FastifyBaseLogger } from 'fastify';
import { requestLoggers } from './request-context.js';

/**
 * Logs what the agent's hooks report, on the logger of the request that caused it (so
 * the line has its request id and ticket id). Returns the function that unsubscribes.
 */
export function observeAgent(agent: Agent, fallback: FastifyBaseLogger): () => void {
  // Inside a request the logger already carries the ticket id; outside one, bind it here.
  const log = (ticketId?: string) => requestLoggers.getStore() ?? (ticketId === undefined ? fallback : fallback.child({ ticketId }));
  const unsubscribe = [
    agent.on('turn.degraded', (event) =>
      log(event.ticketId).warn({ reason: event.reason, attempts: event.attempts }, 'every LLM failed: answered with the fallback reply'),
    ),
    agent.on('execution.failed', (event) =>
      log(event.ticketId).warn({ workflow: event.workflow, error: event.error, compensated: event.compensated }, 'workflow failed and was rolled back'),
    ),
    agent.on('approval.requested', (event) => log(event.ticketId).info({ workflow: event.workflow, tool: event.tool }, 'a step waits for approval')),
    agent.on('ticket.recovered', (event) =>
      log(event.ticketId).warn({ workflow: event.workflow, compensated: event.compensated }, 'recovered an interrupted execution'),
    ),
    agent.on('listener.failed', (event) =>
      log().warn({ hook: event.hook, error: event.error instanceof Error ? event.error.message : String(event.error) }, 'a hook listener failed'),
    ),
  ];
  return () => {
    for (const stop of unsubscribe) stop();
  };
}
