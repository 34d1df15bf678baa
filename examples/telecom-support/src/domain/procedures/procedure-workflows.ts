import { defineWorkflow, type WorkflowContext } from '@ticketflow/core';
import type { CarrierTools } from '../carrier-tools.js';
import { mmsIssue, noInternet, noService, slowInternet } from '../intents.js';
import { phone, serviceType } from '../slots.js';
import { identifyCustomer, isAccount } from './identify-customer.js';
import { mmsProcedure } from './mms-path.js';
import { mobileDataProcedure } from './mobile-data-path.js';
import { noServiceProcedure } from './no-service-path.js';
import type { Account, ProcedureContext, ProcedureDeps, ProcedureEnding } from './procedure-context.js';
import type { ProcedureSlots } from './procedure-slots.js';

type Procedure = (ctx: ProcedureContext, deps: ProcedureDeps, account: Account) => Promise<ProcedureEnding>;

/**
 * The procedures are shared by several workflows, so they take a {@link ProcedureContext}
 * rather than one workflow's typed context. The engine still refuses, at run time, an ask
 * or a call the workflow does not declare; the procedure tests run every path.
 */
function procedureContext(ctx: WorkflowContext<any, any, any>): ProcedureContext {
  return { slots: ctx.slots, ask: (slot) => ctx.ask(slot as never), call: (tool, input) => ctx.call(tool as never, input as never) };
}

/**
 * The three troubleshooting paths of tech_support_workflow.md as procedures: workflows
 * that identify the customer's line by the phone number, then ask (`ctx.ask`) and act step
 * by step. `onAbandon: 'keep'`: what a procedure did (data the customer agreed to pay for, a
 * payment request, roaming enabled, a line resumed) stays when the customer leaves it.
 */
export function createProcedureWorkflows(tools: CarrierTools, slots: ProcedureSlots, today: string) {
  const deps: ProcedureDeps = { tools, slots, today };
  const run = (procedure: Procedure) => async (context: WorkflowContext<any, any, any>) => {
    const ctx = procedureContext(context);
    const account = await identifyCustomer(ctx, deps);
    return isAccount(account) ? procedure(ctx, deps, account) : account;
  };
  const lookups = [tools.getCustomerByPhone, tools.getDetailsById, tools.getBillsForCustomer, tools.getDataUsage, tools.transferToHumanAgents];
  const serviceAsks = [
    slots.statusBar,
    slots.serviceAfterAirplaneOff,
    slots.simStatus,
    slots.serviceAfterSimReseat,
    slots.serviceAfterApnReset,
    ...slots.billsPaid,
    slots.serviceAfterLineResume,
  ];
  const connectivityAsks = [
    slots.dataRoamingOn,
    slots.speedAfterRoamingOn,
    slots.speedAfterLineRoaming,
    slots.mobileDataOn,
    slots.speedAfterDataOn,
    slots.dataTopUpChoice,
    slots.refuelAmountGb,
    slots.refuelConfirmed,
    slots.speedAfterRefuel,
  ];
  const speedAsks = [
    slots.dataSaverOn,
    slots.speedAfterDataSaverOff,
    slots.networkMode,
    slots.speedAfterNetworkMode,
    slots.vpnConnected,
    slots.speedAfterVpnOff,
  ];
  const mmsAsks = [
    slots.mmsWorks,
    slots.mmsAfterServiceRestored,
    slots.mmsAfterDataRestored,
    slots.networkTechnology,
    slots.mmsAfterNetworkMode,
    slots.wifiCallingOn,
    slots.mmsAfterWifiCallingOff,
    slots.messagingPermissions,
    slots.mmsAfterPermissions,
    slots.mmscUrlSet,
    slots.mmsAfterApnReset,
  ];
  const serviceTools = [...lookups, tools.sendPaymentRequest, tools.resumeLine];
  const dataTools = [...serviceTools, tools.enableRoaming, tools.refuelData];

  const noServiceTroubleshooting = defineWorkflow({
    name: 'no_service_troubleshooting',
    intent: noService,
    description: 'no service: airplane mode, SIM, APN reset, line suspension (tech support path 1)',
    required: [phone],
    asks: serviceAsks,
    tools: serviceTools,
    onAbandon: 'keep',
    run: run(noServiceProcedure),
  });
  const dataWorkflow = (name: string, intent: typeof noInternet, description: string) =>
    defineWorkflow({
      name,
      intent,
      description,
      when: (known) => known.service_type === 'mobile',
      required: [serviceType, phone],
      optional: [slots.abroad],
      asks: [...serviceAsks, slots.speedTest, slots.speedAfterServiceRestored, ...connectivityAsks, ...speedAsks],
      tools: dataTools,
      onAbandon: 'keep',
      run: run(mobileDataProcedure),
    });
  const mobileDataTroubleshooting = dataWorkflow(
    'mobile_data_troubleshooting',
    noInternet,
    'mobile data that does not connect: service, roaming, data switch, data allowance, then speed (tech support path 2)',
  );
  const mobileSlowDataTroubleshooting = dataWorkflow(
    'mobile_slow_data_troubleshooting',
    slowInternet,
    'slow mobile data: data saver, network mode, VPN (tech support path 2)',
  );
  const mmsTroubleshooting = defineWorkflow({
    name: 'mms_troubleshooting',
    intent: mmsIssue,
    description: 'picture messages (MMS): service, data, network type, Wi-Fi calling, permissions, MMSC (tech support path 3)',
    required: [phone],
    optional: [slots.abroad],
    asks: [...serviceAsks, slots.speedTest, ...connectivityAsks, ...mmsAsks],
    tools: dataTools,
    onAbandon: 'keep',
    run: run(mmsProcedure),
  });
  return { noServiceTroubleshooting, mobileDataTroubleshooting, mobileSlowDataTroubleshooting, mmsTroubleshooting };
}
