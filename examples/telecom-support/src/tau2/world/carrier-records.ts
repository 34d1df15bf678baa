import { createHash } from 'node:crypto';
import type { Bill, CarrierData, Customer, Line, Plan } from './types.js';

/** A refused tool call of the τ² world: nothing changed (MODEL §5, "Errors are raised as exceptions"). */
export class WorldToolError extends Error {
  /** A refusal: retrying the same call cannot help. */
  readonly retryable = false;

  constructor(message: string) {
    super(message);
    this.name = 'WorldToolError';
  }
}

/** The simulated date of the τ² world (MODEL: "today is 2025-02-25"). */
export const TAU2_TODAY = '2025-02-25';

const digits = (phone: string) => phone.replace(/\D/g, '');

/**
 * The carrier's records and the operations on them (MODEL §2.4, §5, §6 agent side). Reads
 * return the stored objects (callers copy before handing them out); writes validate first and
 * change nothing when they throw {@link WorldToolError}.
 */
export class CarrierRecords {
  readonly data: CarrierData;
  private chargeSequence = 0;

  constructor(data: CarrierData) {
    this.data = data;
  }

  customer(customerId: string): Customer {
    const customer = this.data.customers.find((candidate) => candidate.customer_id === customerId);
    if (!customer) throw new WorldToolError(`Customer with ID ${customerId} not found`);
    return customer;
  }

  line(lineId: string): Line {
    const line = this.data.lines.find((candidate) => candidate.line_id === lineId);
    if (!line) throw new WorldToolError(`Line with ID ${lineId} not found`);
    return line;
  }

  bill(billId: string): Bill {
    const bill = this.data.bills.find((candidate) => candidate.bill_id === billId);
    if (!bill) throw new WorldToolError(`Bill with ID ${billId} not found`);
    return bill;
  }

  plan(planId: string): Plan {
    const plan = this.data.plans.find((candidate) => candidate.plan_id === planId);
    if (!plan) throw new WorldToolError(`Plan with ID ${planId} not found`);
    return plan;
  }

  /** The customer's line, after the owned-line check (MODEL §5). */
  ownedLine(customerId: string, lineId: string): { customer: Customer; line: Line } {
    const customer = this.customer(customerId);
    if (!customer.line_ids.includes(lineId)) throw new WorldToolError(`Line ${lineId} does not belong to customer ${customerId}`);
    return { customer, line: this.line(lineId) };
  }

  /** The first customer whose primary number, or one of whose lines' numbers, is `phone` (compared by digits). */
  customerByPhone(phone: string): Customer | undefined {
    const wanted = digits(phone);
    if (wanted === '') return undefined;
    return this.data.customers.find(
      (customer) =>
        digits(customer.phone_number) === wanted ||
        customer.line_ids.some((lineId) => {
          const line = this.data.lines.find((candidate) => candidate.line_id === lineId);
          return line !== undefined && digits(line.phone_number) === wanted;
        }),
    );
  }

  /** The line with number `phone` (compared by digits), if any. */
  lineByPhone(phone: string): Line | undefined {
    const wanted = digits(phone);
    return this.data.lines.find((line) => digits(line.phone_number) === wanted);
  }

  customersByName(fullName: string, dateOfBirth: string): Customer[] {
    const name = fullName.trim().toLowerCase();
    return this.data.customers.filter((customer) => customer.full_name.toLowerCase() === name && customer.date_of_birth === dateOfBirth.trim());
  }

  /** A record by id, dispatched on its first letter (MODEL §5 `get_details_by_id`). */
  details(id: string): Customer | Line | Bill | Plan | CarrierData['devices'][number] {
    switch (id[0]) {
      case 'L':
        return this.line(id);
      case 'B':
        return this.bill(id);
      case 'C':
        return this.customer(id);
      case 'P':
        return this.plan(id);
      case 'D': {
        const device = this.data.devices.find((candidate) => candidate.device_id === id);
        if (!device) throw new WorldToolError(`Device with ID ${id} not found`);
        return device;
      }
      default:
        throw new WorldToolError(`Unknown ID format or type: ${id}`);
    }
  }

  /** The customer's bills, newest issue date first (MODEL §5 `get_bills_for_customer`). */
  billsOf(customerId: string, limit = 12): Bill[] {
    const customer = this.customer(customerId);
    const bills = customer.bill_ids.map((billId) => this.data.bills.find((bill) => bill.bill_id === billId)).filter((bill): bill is Bill => bill !== undefined);
    return bills.sort((left, right) => right.issue_date.localeCompare(left.issue_date)).slice(0, Math.max(0, limit));
  }

  /** True when the line's data use reached its plan limit plus refuels (MODEL §3.7: equality counts). */
  usageExceeded(line: Line): boolean {
    return line.data_used_gb >= this.plan(line.plan_id).data_limit_gb + line.data_refueling_gb;
  }

  /**
   * Adds a one-time charge to the customer's first Draft bill, creating one when there is
   * none (MODEL §5 "One-time-charge rule"). Ids of created bills are derived from the
   * customer and a counter, so a replayed world makes the same ones.
   */
  addOneTimeCharge(customerId: string, description: string, amount: number, today: string): Bill {
    const customer = this.customer(customerId);
    let draft = customer.bill_ids.map((billId) => this.data.bills.find((bill) => bill.bill_id === billId)).find((bill) => bill?.status === 'Draft');
    if (!draft) {
      this.chargeSequence += 1;
      const billId = `B${createHash('sha256').update(`${customerId}:${this.chargeSequence}`).digest('hex').slice(0, 8).toUpperCase()}`;
      draft = {
        bill_id: billId,
        customer_id: customerId,
        period_start: '2025-03-01',
        period_end: '2025-03-31',
        issue_date: '2025-03-01',
        total_due: 0,
        due_date: '2025-03-15',
        line_items: [],
        status: 'Draft',
      };
      this.data.bills.push(draft);
      customer.bill_ids.push(billId);
    }
    draft.line_items.push({ description, amount, date: today, item_type: amount < 0 ? 'Credit' : 'Charge' });
    draft.total_due = roundMoney(draft.total_due + amount);
    return draft;
  }
}

/** Cents-exact money arithmetic on doubles. */
export function roundMoney(value: number): number {
  return Math.round(value * 100) / 100;
}
