import { defineTool, NonRetryableError, type ToolContext } from '@ticketflow/core';
import { z } from 'zod';
import { WorldToolError } from '../tau2/world/carrier-records.js';
import type { Tau2World } from '../tau2/world/tau2-world.js';

/** Options of {@link createCarrierTools}. */
export interface CarrierToolOptions {
  /** Per-attempt timeout of every tool, in ms. Default 5 000. */
  toolTimeoutMs?: number;
}

/** The most a line may be refuelled in total (main_policy.md "Data Refueling": 2 GB). */
export const MAX_REFUEL_GB = 2;

const customerSchema = z.looseObject({
  customer_id: z.string(),
  full_name: z.string(),
  phone_number: z.string(),
  account_status: z.string(),
  line_ids: z.array(z.string()),
  bill_ids: z.array(z.string()),
});

const lineSchema = z.looseObject({
  line_id: z.string(),
  phone_number: z.string(),
  status: z.enum(['Active', 'Suspended', 'Pending Activation', 'Closed']),
  plan_id: z.string(),
  data_used_gb: z.number(),
  data_refueling_gb: z.number(),
  roaming_enabled: z.boolean(),
  contract_end_date: z.string().nullable(),
  suspension_start_date: z.string().nullable(),
});

const billSchema = z.looseObject({
  bill_id: z.string(),
  customer_id: z.string(),
  issue_date: z.string(),
  due_date: z.string(),
  total_due: z.number(),
  status: z.enum(['Draft', 'Issued', 'Awaiting Payment', 'Paid', 'Overdue', 'Disputed']),
});

const planSchema = z.looseObject({ plan_id: z.string(), name: z.string(), data_limit_gb: z.number(), data_refueling_price_per_gb: z.number() });

export type CarrierCustomer = z.infer<typeof customerSchema>;
export type CarrierLine = z.infer<typeof lineSchema>;
export type CarrierBill = z.infer<typeof billSchema>;

const lineRef = { customer_id: z.string().min(1), line_id: z.string().min(1) };

/**
 * The agent's tools on the carrier's records of the τ² world (main_policy.md, MODEL §5), as
 * ticketflow tools: named like the benchmark's (the world logs every call under the
 * benchmark's name and arguments), each passes its idempotency key so a retry
 * acts once, and every write declares its compensation. The policy rules the records do not
 * enforce are enforced here (MODEL Q6): at most 2 GB refuelled per line, a payment request
 * only for an overdue bill, a line resumed only when no bill is overdue or awaiting payment
 * and its contract has not ended. A refusal is not retried (`NonRetryableError`).
 */
export function createCarrierTools(world: Tau2World, options: CarrierToolOptions = {}) {
  const timeoutMs = options.toolTimeoutMs ?? 5_000;
  const act = (name: string, input: Record<string, unknown>, context: ToolContext): unknown => {
    try {
      return world.agentTool(name, input, context.idempotencyKey);
    } catch (error) {
      if (error instanceof WorldToolError) throw new NonRetryableError(`${name}: ${error.message}`, { cause: error });
      throw error;
    }
  };
  const undo = (name: string) => (_input: unknown, _output: unknown, context: { idempotencyKey: string }) =>
    void world.undoAgentTool(name, context.idempotencyKey);
  const refuse = (name: string, reason: string): never => {
    throw new NonRetryableError(`${name} refused by policy: ${reason}`);
  };

  const getCustomerByPhone = defineTool({
    name: 'get_customer_by_phone',
    description: 'The customer whose primary number or one of whose lines has this number; null when there is none',
    input: z.object({ phone_number: z.string().min(1) }),
    output: customerSchema.nullable(),
    run: (input, context) => {
      try {
        return customerSchema.parse(act('get_customer_by_phone', input, context));
      } catch (error) {
        if (error instanceof NonRetryableError && error.cause instanceof WorldToolError) return null;
        throw error;
      }
    },
    timeoutMs,
  });

  const getCustomerById = defineTool({
    name: 'get_customer_by_id',
    input: z.object({ customer_id: z.string().min(1) }),
    output: customerSchema,
    run: (input, context) => customerSchema.parse(act('get_customer_by_id', input, context)),
    timeoutMs,
  });

  const getCustomerByName = defineTool({
    name: 'get_customer_by_name',
    description: 'Customers with this full name and date of birth (policy: the date of birth is required)',
    input: z.object({ full_name: z.string().min(1), dob: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
    output: z.array(customerSchema),
    run: (input, context) => z.array(customerSchema).parse(act('get_customer_by_name', input, context)),
    timeoutMs,
  });

  const getDetailsById = defineTool({
    name: 'get_details_by_id',
    description: 'A line, bill or plan record by id',
    input: z.object({ id: z.string().regex(/^[LBP]\w+$/) }),
    output: z.union([lineSchema, billSchema, planSchema]),
    run: (input, context) => act('get_details_by_id', input, context) as CarrierLine | CarrierBill,
    timeoutMs,
  });

  const getBillsForCustomer = defineTool({
    name: 'get_bills_for_customer',
    input: z.object({ customer_id: z.string().min(1), limit: z.number().int().positive().optional() }),
    output: z.array(billSchema),
    run: (input, context) => z.array(billSchema).parse(act('get_bills_for_customer', input, context)),
    timeoutMs,
  });

  const getDataUsage = defineTool({
    name: 'get_data_usage',
    input: z.object(lineRef),
    output: z.object({ line_id: z.string(), data_used_gb: z.number(), data_limit_gb: z.number(), data_refueling_gb: z.number(), cycle_end_date: z.string() }),
    run: (input, context) => act('get_data_usage', input, context) as never,
    timeoutMs,
  });

  // τ²'s `enable_roaming`; named apart from the roaming pass of `roaming_activation`.
  const enableRoaming = defineTool({
    name: 'enable_line_roaming',
    description: 'Enables roaming on a line in the carrier records, at no cost (policy); undone by disabling it again',
    input: z.object(lineRef),
    output: z.string(),
    run: (input, context) => String(act('enable_roaming', input, context)),
    compensate: undo('enable_roaming'),
    timeoutMs,
  });

  const refuelData = defineTool({
    name: 'refuel_data',
    description: `Adds data to a line at the plan's price per GB (at most ${MAX_REFUEL_GB} GB per line); undone by removing it and its charge`,
    input: z.object({ ...lineRef, gb_amount: z.number().positive().max(MAX_REFUEL_GB) }),
    output: z.object({ message: z.string(), new_data_refueling_gb: z.number(), charge: z.number() }),
    run: (input, context) => {
      const line = world.records.data.lines.find((candidate) => candidate.line_id === input.line_id);
      if (line && line.data_refueling_gb + input.gb_amount > MAX_REFUEL_GB + 1e-9)
        refuse('refuel_data', `the line already has ${line.data_refueling_gb} GB refuelled; at most ${MAX_REFUEL_GB} GB in total`);
      return act('refuel_data', input, context) as never;
    },
    compensate: undo('refuel_data'),
    timeoutMs,
  });

  const sendPaymentRequest = defineTool({
    name: 'send_payment_request',
    description: 'Sends the customer a payment request for an overdue bill (policy: only an overdue bill); undone by withdrawing it',
    input: z.object({ customer_id: z.string().min(1), bill_id: z.string().min(1) }),
    output: z.string(),
    run: (input, context) => {
      const bill = world.records.data.bills.find((candidate) => candidate.bill_id === input.bill_id);
      if (bill && bill.status !== 'Overdue') refuse('send_payment_request', `bill ${input.bill_id} is ${bill.status}, not Overdue`);
      return String(act('send_payment_request', input, context));
    },
    compensate: undo('send_payment_request'),
    timeoutMs,
  });

  const resumeLine = defineTool({
    name: 'resume_line',
    description: 'Lifts the suspension of a line (policy: every overdue bill paid, contract not ended); undone by suspending it again',
    input: z.object(lineRef),
    output: z.looseObject({ message: z.string() }),
    run: (input, context) => {
      const customer = world.records.data.customers.find((candidate) => candidate.customer_id === input.customer_id);
      const line = world.records.data.lines.find((candidate) => candidate.line_id === input.line_id);
      const unpaid = (customer?.bill_ids ?? []).filter((billId) =>
        ['Overdue', 'Awaiting Payment'].includes(world.records.data.bills.find((bill) => bill.bill_id === billId)?.status ?? ''),
      );
      if (unpaid.length > 0) refuse('resume_line', `bill(s) ${unpaid.join(', ')} are not paid`);
      if (line?.contract_end_date && line.contract_end_date < world.today)
        refuse('resume_line', `the contract of line ${line.line_id} ended on ${line.contract_end_date}`);
      return act('resume_line', input, context) as never;
    },
    compensate: undo('resume_line'),
    timeoutMs,
  });

  const transferToHumanAgents = defineTool({
    name: 'transfer_to_human_agents',
    description: 'Hands the conversation to a human agent, with a summary (cannot be undone)',
    input: z.object({ summary: z.string().min(1).max(2_000) }),
    output: z.string(),
    run: (input, context) => String(act('transfer_to_human_agents', input, context)),
    timeoutMs,
  });

  return {
    getCustomerByPhone,
    getCustomerById,
    getCustomerByName,
    getDetailsById,
    getBillsForCustomer,
    getDataUsage,
    enableRoaming,
    refuelData,
    sendPaymentRequest,
    resumeLine,
    transferToHumanAgents,
  };
}

/** The carrier tools of one world, by name. */
export type CarrierTools = ReturnType<typeof createCarrierTools>;

export { billSchema, customerSchema, lineSchema, planSchema };
