import type { IntentDefinition, SlotDefinition, WorkflowDefinition } from '@ticketflow/core';
import type { TelecomBackend } from '../backend/telecom-backend.js';
import { Tau2World } from '../tau2/world/tau2-world.js';
import { createCarrierTools, type CarrierTools } from './carrier-tools.js';
import { createProcedureSlots, type ProcedureSlots } from './procedures/procedure-slots.js';
import { createBillingWorkflows } from './billing-workflows.js';
import { TELECOM_INTENTS } from './intents.js';
import { createProcedureWorkflows } from './procedures/procedure-workflows.js';
import { createInternetWorkflows } from './internet-workflows.js';
import { createMobileWorkflows } from './mobile-workflows.js';
import { phone, phoneModel } from './slots.js';
import { createSupportWorkflows } from './support-workflows.js';
import { createTelecomTools, type TelecomToolOptions, type TelecomTools } from './telecom-tools.js';

/** The telecom domain bound to one backend: what `createAgent` needs, plus the tools. */
export interface TelecomDomain {
  intents: readonly IntentDefinition[];
  workflows: readonly WorkflowDefinition[];
  /** Inference sources that no workflow lists as required (`phone_model` → `device_type`). */
  slots: readonly SlotDefinition<any>[];
  tools: TelecomTools;
  /** The carrier's records and the customer's phone the mobile procedures work on (the τ² world). */
  world: Tau2World;
  /** The agent's tools on the carrier's records. */
  carrierTools: CarrierTools;
  /** The questions the troubleshooting procedures ask mid-run. */
  procedureSlots: ProcedureSlots;
}

/** Options of {@link createTelecomDomain}. */
export interface TelecomDomainOptions extends TelecomToolOptions {
  /** The carrier's records (and the customer's phone). Default: a fresh world from the τ² data. */
  world?: Tau2World;
}

/**
 * Builds the domain: 9 intents, 13 workflows (4 of them the τ² troubleshooting procedures),
 * the tools against `backend` and the carrier tools against the τ² `world`. Workflows of one
 * intent are listed in the order their `when` is tried.
 */
export function createTelecomDomain(backend: TelecomBackend, options: TelecomDomainOptions = {}): TelecomDomain {
  const { world = new Tau2World(), ...toolOptions } = options;
  const tools = createTelecomTools(backend, toolOptions);
  const carrierTools = createCarrierTools(world, toolOptions);
  const procedureSlots = createProcedureSlots(world.records.data.plans);
  const internet = createInternetWorkflows(tools);
  const billing = createBillingWorkflows(tools);
  const mobile = createMobileWorkflows(tools);
  const support = createSupportWorkflows(tools);
  const procedures = createProcedureWorkflows(carrierTools, procedureSlots, world.today);
  return {
    intents: TELECOM_INTENTS,
    workflows: [
      internet.fiberNoInternet,
      procedures.mobileDataTroubleshooting,
      internet.dslNoInternet,
      procedures.mobileSlowDataTroubleshooting,
      internet.slowInternetCheck,
      procedures.noServiceTroubleshooting,
      procedures.mmsTroubleshooting,
      billing.billingCredit,
      billing.planChange,
      mobile.esimActivation,
      mobile.physicalSimActivation,
      mobile.roamingActivation,
      support.humanHandover,
    ],
    slots: [phone, phoneModel],
    tools,
    world,
    carrierTools,
    procedureSlots,
  };
}
