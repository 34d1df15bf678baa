import { defineWorkflow, type WorkflowContext, type WorkflowResult } from '@ticketflow/core';
import { noInternet, slowInternet } from './intents.js';
import { deviceType, phone, region, serviceType } from './slots.js';
import type { TelecomTools } from './telecom-tools.js';
import { lineOf, text } from './workflow-helpers.js';

/**
 * Fixed-line connectivity workflows. `no_internet` and `slow_internet` are served by these
 * for fiber and DSL and by the mobile data procedure for mobile (chosen by `when` over the
 * stable fact `service_type`, DESIGN D1): the checks differ per technology.
 */
export function createInternetWorkflows(tools: TelecomTools) {
  const { checkOutage, runLineDiagnostics, resetModem, resetSpeedProfile, openCase } = tools;

  /** A physical fault needs a technician: the case goes to the field queue. */
  async function dispatchTechnician(context: WorkflowContext, finding: string): Promise<WorkflowResult> {
    const { caseId } = await context.call(openCase, {
      queue: 'field-technicians',
      summary: `${text(context.slots, 'service_type')} line ${lineOf(context)}: ${finding}`,
      priority: 'high' as const,
    });
    return {
      status: 'escalated',
      reply: `The line test found ${finding}. I booked a technician (case ${caseId}); they will call you to arrange a visit.`,
      data: { caseId },
    };
  }

  const fiberNoInternet = defineWorkflow({
    name: 'fiber_no_internet',
    intent: noInternet,
    description: 'fiber troubleshooting: outage check, line test, remote modem reset',
    when: (slots) => slots.service_type === 'fiber',
    required: [serviceType, region],
    optional: [phone, deviceType],
    tools: [checkOutage, runLineDiagnostics, resetModem, openCase],
    run: async (context) => {
      const area = text(context.slots, 'region');
      const outage = await context.call(checkOutage, { region: area, service: 'fiber' as const });
      if (outage.outage) {
        return {
          status: 'resolved',
          reply: `There is a known fiber outage in ${area} (${outage.incidentId}: ${outage.cause}). Service should be back by ${outage.eta}; there is nothing you need to do.`,
          data: { incidentId: outage.incidentId },
        };
      }
      const line = lineOf(context);
      const test = await context.call(runLineDiagnostics, { line, service: 'fiber' as const, region: area });
      if (test.status === 'fault') return dispatchTechnician(context, test.finding);
      const reset = await context.call(resetModem, { line });
      return {
        status: 'resolved',
        reply: `No outage in ${area} and your line tests fine, so I restarted your fiber modem remotely (${reset.resetId}). Give it about ${reset.rebootSeconds} seconds, then try again.`,
      };
    },
  });

  const dslNoInternet = defineWorkflow({
    name: 'dsl_no_internet',
    intent: noInternet,
    description: 'DSL troubleshooting: outage check, line test on the landline, modem reset',
    when: (slots) => slots.service_type === 'dsl',
    // The phone comes before the region: a landline number gives the region (inferred),
    // so the customer is not asked for it.
    required: [serviceType, phone, region],
    optional: [deviceType],
    tools: [checkOutage, runLineDiagnostics, resetModem, openCase],
    run: async (context) => {
      const area = text(context.slots, 'region');
      const outage = await context.call(checkOutage, { region: area, service: 'dsl' as const });
      if (outage.outage) {
        return { status: 'resolved', reply: `There is a known DSL outage in ${area} (${outage.incidentId}); it should be fixed by ${outage.eta}.` };
      }
      const line = text(context.slots, 'phone');
      const test = await context.call(runLineDiagnostics, { line, service: 'dsl' as const, region: area });
      if (test.status === 'fault') return dispatchTechnician(context, test.finding);
      const reset = await context.call(resetModem, { line });
      return {
        status: 'resolved',
        reply: `No outage in ${area}; the line test says ${test.finding}. I restarted your DSL modem remotely (${reset.resetId}): wait ${reset.rebootSeconds} seconds for the lights to settle.`,
      };
    },
  });

  const slowInternetCheck = defineWorkflow({
    name: 'slow_internet_check',
    intent: slowInternet,
    description: 'fixed-line speed troubleshooting: line test and speed profile reset',
    when: (slots) => slots.service_type === 'fiber' || slots.service_type === 'dsl',
    required: [serviceType, region],
    optional: [phone],
    tools: [runLineDiagnostics, resetSpeedProfile, openCase],
    run: async (context) => {
      const service = text(context.slots, 'service_type') as 'fiber' | 'mobile' | 'dsl';
      const line = lineOf(context);
      const test = await context.call(runLineDiagnostics, { line, service, region: text(context.slots, 'region') });
      if (test.status === 'fault') return dispatchTechnician(context, test.finding);
      if (test.status === 'degraded') {
        await context.call(resetSpeedProfile, { line });
        return {
          status: 'resolved',
          reply: `Your ${service} line was running at ${test.downstreamMbps} of ${test.provisionedMbps} Mbit/s because ${test.finding}. I put it back on the full-rate profile; speeds should recover within a few minutes.`,
        };
      }
      const advice =
        service === 'mobile'
          ? 'If it stays slow, check that your monthly data volume is not used up and that power saving is off.'
          : 'Slowness is then usually Wi-Fi: try a cable or move closer to the router.';
      return {
        status: 'resolved',
        reply: `Your ${service} line delivers ${test.downstreamMbps} of ${test.provisionedMbps} Mbit/s, so the network side is fine. ${advice}`,
      };
    },
  });

  return { fiberNoInternet, dslNoInternet, slowInternetCheck };
}
