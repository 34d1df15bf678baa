import { billSchema, lineSchema } from '../carrier-tools.js';
import { lineRef, type Account, type ProcedureContext, type ProcedureDeps, type ProcedureEnding } from './procedure-context.js';
import { transferToHuman } from './identify-customer.js';

/**
 * Path 1 of tech_support_workflow.md (workflows/tech_support_path1_no_service.dot): no
 * service. Used on its own and as the first step of the mobile data and MMS paths.
 */
export type ServiceCheck =
  /** Step 1.0: the status bar shows signal; this is not a service problem. */
  | { kind: 'had_service' }
  /** Service came back; `fix` says what did it. */
  | { kind: 'restored'; fix: string }
  /** The procedure ended (a transfer). */
  | { kind: 'ended'; ending: ProcedureEnding };

const restored = (fix: string): ServiceCheck => ({ kind: 'restored', fix });

/**
 * Steps 1.0–1.4. Departures from the documents, on purpose:
 * - Step 1.1's airplane check reads the status bar of step 1.0, which shows "Airplane Mode"
 *   exactly when it is on: asking for the network status would tell nothing more.
 * - After re-seating the SIM, no service goes on to step 1.3 (the .dot escalates at once,
 *   and continues to 1.3 when service *is* back, which reads like swapped labels); the
 *   workflow's rule "try all the relevant resolution steps before transferring" decides.
 */
export async function checkService(ctx: ProcedureContext, deps: ProcedureDeps, account: Account): Promise<ServiceCheck> {
  const { slots } = deps;
  const bar = await ctx.ask(slots.statusBar);
  if (bar === 'signal') return { kind: 'had_service' };
  if (bar === 'airplane_mode' && (await ctx.ask(slots.serviceAfterAirplaneOff)) === 'signal') return restored('turning Airplane Mode off');
  const sim = await ctx.ask(slots.simStatus);
  if (sim === 'locked_pin' || sim === 'locked_puk') {
    const code = sim === 'locked_pin' ? 'PIN' : 'PUK';
    return {
      kind: 'ended',
      ending: await transferToHuman(ctx, deps, account, {
        summary: `no service: the SIM card is locked with a ${code} code (SIM security).`,
        toCustomer: `Your SIM card is locked with a ${code} code, which I cannot unlock from here: a colleague from technical support will help you with it.`,
      }),
    };
  }
  if (sim === 'missing' && (await ctx.ask(slots.serviceAfterSimReseat)) === 'signal') return restored('re-seating the SIM card');
  if ((await ctx.ask(slots.serviceAfterApnReset)) === 'signal') return restored('resetting the APN settings and restarting the phone');
  return checkLineSuspension(ctx, deps, account);
}

/** Step 1.4: a suspended line, lifted when main_policy.md allows it (overdue bills paid, contract not ended). */
async function checkLineSuspension(ctx: ProcedureContext, deps: ProcedureDeps, account: Account): Promise<ServiceCheck> {
  const line = lineSchema.parse(await ctx.call(deps.tools.getDetailsById, { id: account.line.line_id }));
  const end = (summary: string, toCustomer: string) =>
    transferToHuman(ctx, deps, account, { summary, toCustomer }).then((ending): ServiceCheck => ({ kind: 'ended', ending }));
  if (line.status !== 'Suspended') {
    return end(
      'no service after airplane mode, SIM and APN checks; the line is not suspended.',
      'I have tried every step I can take: your line is active, so this needs a technician.',
    );
  }
  if (line.contract_end_date !== null && line.contract_end_date < deps.today) {
    return end(
      `line suspended; its contract ended on ${line.contract_end_date}, so the suspension cannot be lifted.`,
      `Your line is suspended because its contract ended on ${line.contract_end_date}; I am not allowed to lift that suspension.`,
    );
  }
  const paid = await payOverdueBills(ctx, deps, account);
  if (paid !== true)
    return end(
      `line suspended for an overdue bill (${paid}) that was not paid.`,
      'Your line is suspended because of an unpaid bill, and I can only lift the suspension once every overdue bill is paid.',
    );
  await ctx.call(deps.tools.resumeLine, lineRef(account));
  if ((await ctx.ask(deps.slots.serviceAfterLineResume)) === 'signal') return restored('paying the overdue bill and lifting the suspension of your line');
  return end('line resumed after payment, but still no service after a restart.', 'Your line is active again, but the phone still has no service.');
}

/**
 * Sends a payment request for each overdue bill (one at a time: only one may await payment),
 * asks the customer to pay it, and checks the bill is Paid. Returns true, or the id of the
 * bill left unpaid.
 */
async function payOverdueBills(ctx: ProcedureContext, deps: ProcedureDeps, account: Account): Promise<true | string> {
  const bills = await ctx.call(deps.tools.getBillsForCustomer, { customer_id: account.customer.customer_id });
  const unpaid = bills
    .filter((bill) => bill.status === 'Overdue' || bill.status === 'Awaiting Payment')
    .sort((left, right) => left.issue_date.localeCompare(right.issue_date));
  if (unpaid.length > deps.slots.billsPaid.length) return unpaid.map((bill) => bill.bill_id).join(', ');
  for (const [index, bill] of unpaid.entries()) {
    if (bill.status === 'Overdue') await ctx.call(deps.tools.sendPaymentRequest, { customer_id: account.customer.customer_id, bill_id: bill.bill_id });
    const saysPaid = await ctx.ask(deps.slots.billsPaid[index]!);
    const after = billSchema.parse(await ctx.call(deps.tools.getDetailsById, { id: bill.bill_id }));
    if (!saysPaid || after.status !== 'Paid') return bill.bill_id;
  }
  return true;
}

/** The no-service procedure on its own (intent `no_service`). */
export async function noServiceProcedure(ctx: ProcedureContext, deps: ProcedureDeps, account: Account): Promise<ProcedureEnding> {
  const check = await checkService(ctx, deps, account);
  switch (check.kind) {
    case 'ended':
      return check.ending;
    case 'had_service':
      return {
        status: 'resolved',
        reply:
          'Your status bar shows signal, so your phone has service: this is not a service problem. If calls still fail, tell me what happens when you call.',
        data: { fix: null },
      };
    case 'restored':
      return { status: 'resolved', reply: `Your phone has service again, after ${check.fix}. Anything else I can help with?`, data: { fix: check.fix } };
  }
}
