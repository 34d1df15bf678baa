import { type CarrierRecords, roundMoney, WorldToolError } from './carrier-records.js';

/** What an agent operation did: its result, and for a write, how to undo it exactly. */
export interface OperationResult {
  output: unknown;
  /** Restores what the write changed (absent for reads and for writes that changed nothing). */
  undo?: () => void;
}

/** An operation of the agent's toolkit on the carrier's records (MODEL §5). */
export interface AgentOperation {
  kind: 'read' | 'write';
  run(records: CarrierRecords, args: Record<string, unknown>, today: string): OperationResult;
}

const text = (args: Record<string, unknown>, name: string): string => {
  const value = args[name];
  if (typeof value !== 'string' || value.trim() === '') throw new WorldToolError(`${name} is required`);
  return value.trim();
};

const copy = <T>(value: T): T => structuredClone(value);

/** Last day of the month of an ISO date (`2025-02-25` → `2025-02-28`). */
export function endOfMonth(isoDate: string): string {
  const [year, month] = isoDate.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${isoDate.slice(0, 8)}${String(last).padStart(2, '0')}`;
}

function setRoaming(records: CarrierRecords, args: Record<string, unknown>, enabled: boolean): OperationResult {
  const { line } = records.ownedLine(text(args, 'customer_id'), text(args, 'line_id'));
  const verb = enabled ? 'enabled' : 'disabled';
  if (line.roaming_enabled === enabled) return { output: `Roaming was already ${verb} for line ${line.line_id}.` };
  line.roaming_enabled = enabled;
  return { output: `Roaming ${verb} successfully for line ${line.line_id}.`, undo: () => void (line.roaming_enabled = !enabled) };
}

function refuel(records: CarrierRecords, args: Record<string, unknown>, today: string): OperationResult {
  const customerId = text(args, 'customer_id');
  const { line } = records.ownedLine(customerId, text(args, 'line_id'));
  const amount = args.gb_amount;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) throw new WorldToolError('gb_amount must be a number greater than 0');
  const plan = records.plan(line.plan_id);
  const charge = roundMoney(amount * plan.data_refueling_price_per_gb);
  const billsBefore = records.data.bills.length;
  const bill = records.addOneTimeCharge(customerId, `Data refueling: ${amount} GB at $${plan.data_refueling_price_per_gb.toFixed(2)}/GB`, charge, today);
  line.data_refueling_gb = roundMoney(line.data_refueling_gb + amount);
  const item = bill.line_items[bill.line_items.length - 1];
  return {
    output: {
      message: `Successfully added ${amount} GB of data to line ${line.line_id} for $${charge.toFixed(2)}`,
      new_data_refueling_gb: line.data_refueling_gb,
      charge,
    },
    undo: () => {
      line.data_refueling_gb = roundMoney(line.data_refueling_gb - amount);
      bill.line_items = bill.line_items.filter((entry) => entry !== item);
      bill.total_due = roundMoney(bill.total_due - charge);
      if (records.data.bills.length > billsBefore && bill.line_items.length === 0) {
        records.data.bills = records.data.bills.filter((entry) => entry !== bill);
        const customer = records.customer(customerId);
        customer.bill_ids = customer.bill_ids.filter((billId) => billId !== bill.bill_id);
      }
    },
  };
}

function sendPaymentRequest(records: CarrierRecords, args: Record<string, unknown>): OperationResult {
  const customer = records.customer(text(args, 'customer_id'));
  const billId = text(args, 'bill_id');
  const bills = customer.bill_ids.map((id) => records.data.bills.find((bill) => bill.bill_id === id));
  if (bills.some((bill) => bill?.status === 'Awaiting Payment')) throw new WorldToolError('A bill is already awaiting payment for this customer');
  if (!customer.bill_ids.includes(billId)) throw new WorldToolError(`Bill ${billId} not found for customer ${customer.customer_id}`);
  const bill = records.bill(billId);
  const previous = bill.status;
  bill.status = 'Awaiting Payment';
  return {
    output: `Payment request sent to the customer for bill ${billId}.`,
    undo: () => {
      if (bill.status === 'Awaiting Payment') bill.status = previous;
    },
  };
}

function resumeLine(records: CarrierRecords, args: Record<string, unknown>): OperationResult {
  const { line } = records.ownedLine(text(args, 'customer_id'), text(args, 'line_id'));
  if (line.status !== 'Suspended' && line.status !== 'Pending Activation')
    throw new WorldToolError(`Line ${line.line_id} is ${line.status}: only a suspended or pending line can be resumed`);
  const before = { status: line.status, suspension_start_date: line.suspension_start_date };
  line.status = 'Active';
  line.suspension_start_date = null;
  return { output: { message: `Line ${line.line_id} resumed successfully.`, line: copy(line) }, undo: () => Object.assign(line, before) };
}

function suspendLine(records: CarrierRecords, args: Record<string, unknown>, today: string): OperationResult {
  const { line } = records.ownedLine(text(args, 'customer_id'), text(args, 'line_id'));
  if (line.status !== 'Active') throw new WorldToolError(`Line ${line.line_id} is ${line.status}: only an active line can be suspended`);
  const before = { status: line.status, suspension_start_date: line.suspension_start_date };
  line.status = 'Suspended';
  line.suspension_start_date = today;
  return {
    output: { message: `Line ${line.line_id} suspended. A holding fee of $5.00 per month applies while it is suspended.`, line: copy(line) },
    undo: () => Object.assign(line, before),
  };
}

/** The agent's toolkit (MODEL §5), by name. */
export const AGENT_OPERATIONS: Readonly<Record<string, AgentOperation>> = {
  get_customer_by_phone: {
    kind: 'read',
    run: (records, args) => {
      const customer = records.customerByPhone(text(args, 'phone_number'));
      if (!customer) throw new WorldToolError(`Customer with phone number ${String(args.phone_number)} not found`);
      return { output: copy(customer) };
    },
  },
  get_customer_by_id: { kind: 'read', run: (records, args) => ({ output: copy(records.customer(text(args, 'customer_id'))) }) },
  get_customer_by_name: { kind: 'read', run: (records, args) => ({ output: copy(records.customersByName(text(args, 'full_name'), text(args, 'dob'))) }) },
  get_details_by_id: { kind: 'read', run: (records, args) => ({ output: copy(records.details(text(args, 'id'))) }) },
  get_bills_for_customer: {
    kind: 'read',
    run: (records, args) => ({ output: copy(records.billsOf(text(args, 'customer_id'), typeof args.limit === 'number' ? args.limit : 12)) }),
  },
  get_data_usage: {
    kind: 'read',
    run: (records, args, today) => {
      const { line } = records.ownedLine(text(args, 'customer_id'), text(args, 'line_id'));
      const plan = records.plan(line.plan_id);
      return {
        output: {
          line_id: line.line_id,
          data_used_gb: line.data_used_gb,
          data_limit_gb: plan.data_limit_gb,
          data_refueling_gb: line.data_refueling_gb,
          cycle_end_date: endOfMonth(today),
        },
      };
    },
  },
  suspend_line: { kind: 'write', run: suspendLine },
  resume_line: { kind: 'write', run: resumeLine },
  send_payment_request: { kind: 'write', run: sendPaymentRequest },
  enable_roaming: { kind: 'write', run: (records, args) => setRoaming(records, args, true) },
  disable_roaming: { kind: 'write', run: (records, args) => setRoaming(records, args, false) },
  refuel_data: { kind: 'write', run: refuel },
  transfer_to_human_agents: { kind: 'read', run: () => ({ output: 'Transfer successful' }) },
};
