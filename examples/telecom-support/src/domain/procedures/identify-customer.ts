import { lineSchema } from '../carrier-tools.js';
import type { Account, ProcedureContext, ProcedureDeps, ProcedureEnding } from './procedure-context.js';

const digits = (phone: string) => phone.replace(/\D/g, '');

/**
 * Identifies the customer and the line by the phone number they gave (main_policy.md:
 * "You must first identify the customer"; the line is "the line associated with the phone
 * number the user provided"). An unknown number ends the procedure as `failed` (nothing was
 * changed) with a reply asking for the right one; a corrected number runs it again.
 */
export async function identifyCustomer(ctx: ProcedureContext, deps: ProcedureDeps): Promise<Account | ProcedureEnding> {
  const phone = String(ctx.slots.phone ?? '');
  const customer = await ctx.call(deps.tools.getCustomerByPhone, { phone_number: phone });
  if (!customer) return { status: 'failed', reply: `I could not find an account with the phone number ${phone}. Please check the number and send it again.` };
  for (const lineId of customer.line_ids) {
    const line = lineSchema.parse(await ctx.call(deps.tools.getDetailsById, { id: lineId }));
    if (digits(line.phone_number) === digits(phone)) return { customer, line };
  }
  return {
    status: 'failed',
    reply: `${phone} is the contact number of your account, not a line. Please send me the number of the phone that has the problem.`,
  };
}

/** True when `value` is an {@link Account} rather than an ending. */
export function isAccount(value: Account | ProcedureEnding): value is Account {
  return 'customer' in value;
}

/** The message main_policy.md prescribes after a transfer. */
export const TRANSFER_MESSAGE = 'YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON.';

/**
 * Hands the customer to a human agent: `transfer_to_human_agents` with a summary, then the
 * policy's message (main_policy.md: transfer only when the request cannot be handled within
 * the scope of the agent's actions, after trying every relevant step).
 */
export async function transferToHuman(
  ctx: ProcedureContext,
  deps: ProcedureDeps,
  account: Account,
  why: { summary: string; toCustomer: string },
): Promise<ProcedureEnding> {
  await ctx.call(deps.tools.transferToHumanAgents, {
    summary: `Customer ${account.customer.customer_id}, line ${account.line.line_id} (${account.line.phone_number}): ${why.summary}`,
  });
  return { status: 'escalated', reply: `${why.toCustomer} ${TRANSFER_MESSAGE}`, data: { transferred: true, reason: why.summary } };
}
