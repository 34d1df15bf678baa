import type { CarrierRecords } from './carrier-records.js';
import type { Surroundings } from './types.js';

/**
 * The carrier → phone synchronisation, in MODEL §3.8's order. A no-op until the phone knows
 * its number (`set_user_info`). Never touches the device.
 * @throws {Error} when the phone's number has no line or plan (a broken scenario).
 */
export function syncWorld(records: CarrierRecords, surroundings: Surroundings): void {
  if (surroundings.phone_number === null) return;
  const line = records.lineByPhone(surroundings.phone_number);
  const customer = records.customerByPhone(surroundings.phone_number);
  if (!line || !customer) throw new Error(`scenario error: no line for phone number ${surroundings.phone_number}`);
  surroundings.line_active = line.status === 'Active';
  surroundings.roaming_allowed = line.roaming_enabled;
  surroundings.mobile_data_usage_exceeded = records.usageExceeded(line);
  const request = surroundings.payment_request;
  if (request?.paid) {
    const bill = records.data.bills.find((candidate) => candidate.bill_id === request.bill_id);
    if (bill) bill.status = 'Paid';
    surroundings.payment_request = null;
  }
  if (surroundings.payment_request === null) {
    for (const billId of customer.bill_ids) {
      const bill = records.data.bills.find((candidate) => candidate.bill_id === billId);
      if (bill?.status === 'Awaiting Payment') {
        surroundings.payment_request = { bill_id: bill.bill_id, amount_due: bill.total_due, paid: false };
        break;
      }
    }
  }
}
