import { defineTool } from '@ticketflow/core';
import { z } from 'zod';
import type { TelecomBackend } from '../backend/telecom-backend.js';

/** Options of {@link createTelecomTools}. */
export interface TelecomToolOptions {
  /** Credits above this amount (euros) wait for a human approval. Default 50. */
  creditApprovalThreshold?: number;
  /** Per-attempt timeout of every tool, in ms. Default 5 000. */
  toolTimeoutMs?: number;
}

const service = z.enum(['fiber', 'mobile', 'dsl']);

/**
 * The tools of the telecom domain, bound to one backend. Each passes its idempotency key
 * to the backend, so a retried or replayed call acts once (E5), and each tool that changes
 * something the customer would notice declares how to undo it (E3, E4).
 */
export function createTelecomTools(backend: TelecomBackend, options: TelecomToolOptions = {}) {
  const threshold = options.creditApprovalThreshold ?? 50;
  const timeoutMs = options.toolTimeoutMs ?? 5_000;

  const checkOutage = defineTool({
    name: 'check_outage',
    description: 'Known incidents in a region for one kind of service',
    input: z.object({ region: z.string(), service }),
    output: z.object({ outage: z.boolean(), incidentId: z.string().optional(), cause: z.string().optional(), eta: z.string().optional() }),
    run: (input, context) => backend.checkOutage(input, context.idempotencyKey, context.signal),
    timeoutMs,
    retries: 2,
  });

  const runLineDiagnostics = defineTool({
    name: 'run_line_diagnostics',
    description: 'A remote line test',
    input: z.object({ line: z.string(), service, region: z.string().optional() }),
    output: z.object({ status: z.enum(['ok', 'degraded', 'fault']), downstreamMbps: z.number(), provisionedMbps: z.number(), finding: z.string() }),
    run: (input, context) => backend.runLineDiagnostics(input, context.idempotencyKey, context.signal),
    timeoutMs,
    retries: 1,
  });

  const resetModem = defineTool({
    name: 'reset_modem',
    description: 'Reboots the customer modem remotely (nothing to undo)',
    input: z.object({ line: z.string() }),
    output: z.object({ resetId: z.string(), rebootSeconds: z.number() }),
    run: (input, context) => backend.resetModem(input, context.idempotencyKey, context.signal),
    timeoutMs,
  });

  const resetSpeedProfile = defineTool({
    name: 'reset_speed_profile',
    description: 'Puts a line back on its full-rate profile (nothing to undo)',
    input: z.object({ line: z.string() }),
    output: z.object({ profile: z.literal('full-rate') }),
    run: (input, context) => backend.resetSpeedProfile(input, context.idempotencyKey, context.signal),
    timeoutMs,
  });

  const refreshMobileProfile = defineTool({
    name: 'refresh_mobile_profile',
    description: 'Pushes fresh mobile data settings (APN) to the phone',
    input: z.object({ region: z.string(), device: z.string() }),
    output: z.object({ apn: z.string(), pushed: z.boolean() }),
    run: (input, context) => backend.refreshMobileProfile(input, context.idempotencyKey, context.signal),
    timeoutMs,
    retries: 1,
  });

  const changePlan = defineTool({
    name: 'change_plan',
    description: 'Switches the account to another plan; undone by switching back',
    input: z.object({ account: z.string(), plan: z.string() }),
    output: z.object({ changeId: z.string(), previousPlan: z.string() }),
    run: (input, context) => backend.changePlan(input, context.idempotencyKey, context.signal),
    compensate: (_input, _output, context) => backend.revertPlanChange(context.idempotencyKey, context.signal),
    timeoutMs,
    retries: 1,
  });

  const issueCredit = defineTool({
    name: 'issue_credit',
    description: `Credits the account; above ${threshold} € a supervisor approves first`,
    input: z.object({ account: z.string(), amount: z.number().positive(), reason: z.string() }),
    output: z.object({ creditId: z.string(), amount: z.number() }),
    run: (input, context) => backend.issueCredit(input, context.idempotencyKey, context.signal),
    compensate: (_input, _output, context) => backend.reverseCredit(context.idempotencyKey, context.signal),
    requiresApproval: (input) => input.amount > threshold,
    timeoutMs,
    retries: 1,
  });

  const enableRoaming = defineTool({
    name: 'enable_roaming',
    description: 'Enables roaming for a destination; undone by disabling it',
    input: z.object({ line: z.string(), destination: z.string() }),
    output: z.object({ passId: z.string(), dailyPrice: z.number() }),
    run: (input, context) => backend.enableRoaming(input, context.idempotencyKey, context.signal),
    compensate: (_input, _output, context) => backend.disableRoaming(context.idempotencyKey, context.signal),
    timeoutMs,
    retries: 1,
  });

  const activateSim = defineTool({
    name: 'activate_sim',
    description: 'Activates a SIM or eSIM profile on a line; undone by deactivating it',
    input: z.object({ line: z.string(), format: z.enum(['esim', 'physical']), iccid: z.string().optional() }),
    output: z.object({ profile: z.string(), activationCode: z.string().nullable() }),
    run: (input, context) => backend.activateSim(input, context.idempotencyKey, context.signal),
    compensate: (_input, _output, context) => backend.deactivateSim(context.idempotencyKey, context.signal),
    timeoutMs,
    retries: 1,
  });

  const sendNotification = defineTool({
    name: 'send_notification',
    description: 'Sends the customer an SMS or an email (cannot be unsent)',
    input: z.object({ to: z.string(), channel: z.enum(['sms', 'email']), text: z.string() }),
    output: z.object({ notificationId: z.string() }),
    run: (input, context) => backend.sendNotification(input, context.idempotencyKey, context.signal),
    timeoutMs,
    retries: 1,
  });

  const openCase = defineTool({
    name: 'open_case',
    description: 'Puts the ticket in a human queue; undone by withdrawing the case',
    input: z.object({ queue: z.string(), summary: z.string(), priority: z.enum(['normal', 'high']) }),
    output: z.object({ caseId: z.string(), position: z.number() }),
    run: (input, context) => backend.openCase(input, context.idempotencyKey, context.signal),
    compensate: (_input, _output, context) => backend.withdrawCase(context.idempotencyKey, context.signal),
    timeoutMs,
    retries: 1,
  });

  return {
    checkOutage,
    runLineDiagnostics,
    resetModem,
    resetSpeedProfile,
    refreshMobileProfile,
    changePlan,
    issueCredit,
    enableRoaming,
    activateSim,
    sendNotification,
    openCase,
  };
}

/** The tools of one backend, by name. */
export type TelecomTools = ReturnType<typeof createTelecomTools>;
