import type { Agent } from '@ticketflow/core';
import type { Job, JobOutcome, SweepOutcome, WorkerMessage } from './worker-protocol.js';

/**
 * Runs one job on the agent and describes the result for the driver. A rejection (a
 * store outage, a contended ticket, a decided approval, a reused `messageId`) is an answer
 * too: the driver decides whether to send the job again.
 */
export async function runJob(agent: Agent, job: Job): Promise<WorkerMessage> {
  try {
    return { type: 'done', jobId: job.id, outcome: await outcomeOf(agent, job) };
  } catch (error) {
    const described = error instanceof Error ? error : new Error(String(error));
    const { kind, code } = described as { kind?: unknown; code?: unknown };
    return {
      type: 'failed',
      jobId: job.id,
      error: { name: described.name, message: described.message, ...(typeof kind === 'string' ? { kind } : {}), ...(typeof code === 'string' ? { code } : {}) },
    };
  }
}

async function outcomeOf(agent: Agent, job: Job): Promise<JobOutcome> {
  switch (job.kind) {
    case 'message': {
      const result = await agent.handle({ ticketId: job.ticketId, message: job.message, messageId: job.messageId });
      return describe(result.action, result.ticket, result.duplicate);
    }
    case 'approve':
    case 'reject': {
      const decision = { by: job.by, note: 'chaos run' };
      const result = job.kind === 'approve' ? await agent.approve(job.ticketId, decision) : await agent.reject(job.ticketId, decision);
      return describe(result.action, result.ticket, false);
    }
    case 'erase':
      await agent.erase(job.ticketId);
      return { action: 'erased', status: 'erased', duplicate: false, version: 0 };
    case 'recover':
      return { action: 'recover', status: 'swept', duplicate: false, version: 0, sweep: await sweep(agent, job.limit) };
  }
}

function describe(action: { type: string }, ticket: { status: string; version: number }, duplicate: boolean): JobOutcome {
  const { outcome, workflow } = action as { outcome?: unknown; workflow?: unknown };
  return {
    action: action.type,
    ...(typeof outcome === 'string' ? { outcome } : {}),
    ...(typeof workflow === 'string' ? { workflow } : {}),
    status: ticket.status,
    duplicate,
    version: ticket.version,
  };
}

/** One `agent.recover()`, then a census of what is still executing or waiting for input. */
async function sweep(agent: Agent, limit: number): Promise<SweepOutcome> {
  const report = await agent.recover({ limit });
  const executing = await agent.list({ status: 'executing', limit: 1_000 });
  const awaitingInput = await agent.list({ status: 'awaiting_input', limit: 1_000 });
  return {
    recovered: report.recovered,
    approvalsExpired: report.approvalsExpired,
    inputsExpired: report.inputsExpired,
    live: report.live,
    executing: executing.tickets.length,
    awaitingInput: awaitingInput.tickets.length,
  };
}
