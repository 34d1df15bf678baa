import type { SlotDefinition, SlotValues, ToolDefinition, WorkflowResult } from '@ticketflow/core';
import type { CarrierCustomer, CarrierLine, CarrierTools } from '../carrier-tools.js';
import type { ProcedureSlots } from './procedure-slots.js';

/**
 * What a procedure needs from its workflow context: the known slots, `call` for tools and
 * `ask` for a question mid-run (DESIGN E6). A ticketflow `WorkflowContext` is one; tests
 * drive the procedures with their own.
 */
export interface ProcedureContext {
  readonly slots: SlotValues;
  /** The slot's value when known; otherwise the execution suspends until the customer answers. */
  ask<T>(slot: SlotDefinition<T>): Promise<T>;
  call<I, O>(tool: ToolDefinition<I, O>, input: NoInfer<I>): Promise<O>;
}

/** What the procedures are built from. */
export interface ProcedureDeps {
  tools: CarrierTools;
  slots: ProcedureSlots;
  /** The carrier's date (ISO), for contract end dates. */
  today: string;
}

/** The customer and the line the conversation is about. */
export interface Account {
  customer: CarrierCustomer;
  line: CarrierLine;
}

/** How a procedure ended: resolved, or handed to a human (`escalated`, after `transfer_to_human_agents`). */
export type ProcedureEnding = WorkflowResult & { status: 'resolved' | 'escalated' | 'failed' };

/** The line reference the carrier tools take. */
export const lineRef = (account: Account) => ({ customer_id: account.customer.customer_id, line_id: account.line.line_id });
