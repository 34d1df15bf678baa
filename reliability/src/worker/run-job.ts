import type { Agent } from '@ticketflow/core';
import type { Job, WorkerMessage } from './worker-protocol.js';

/**
 * Runs one job on the agent and describes the result for the driver. A rejection (a
 * store outage, a contended ticket, a decided approval) is an answer too: the driver
 * decides whether to send the job again.
 */
export async function runJob(agent: Agent, job: Job): Promise<WorkerMessage> {
  try {
    if (job.kind === 'message') {
      const result = await agent.handle({ ticketId: job.ticketId, message: job.message, messageId: job.messageId });
      const { action, ticket } = result;
      return {
        type: 'done',
        jobId: job.id,
        outcome: { action: action.type, ...('outcome' in action ? { outcome: action.outcome } : {}), status: ticket.status, duplicate: result.duplicate, version: ticket.version },
      };
    }
    const decision = { by: job.by, note: 'chaos run' };
    const result = job.kind === 'approve' ? await agent.approve(job.ticketId, decision) : await agent.reject(job.ticketId, decision);
    const { action, ticket } = result;
    return {
      type: 'done',
      jobId: job.id,
      outcome: { action: action.type, ...('outcome' in action ? { outcome: action.outcome } : {}), status: ticket.status, duplicate: false, version: ticket.version },
    };
  } catch (error) {
    const described = error instanceof Error ? error : new Error(String(error));
    const kind = (described as { kind?: unknown }).kind;
    return { type: 'failed', jobId: job.id, error: { name: described.name, message: described.message, ...(typeof kind === 'string' ? { kind } : {}) } };
  }
}
