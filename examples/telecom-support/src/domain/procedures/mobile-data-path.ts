import { MAX_REFUEL_GB, lineSchema } from '../carrier-tools.js';
import { lineRef, type Account, type ProcedureContext, type ProcedureDeps, type ProcedureEnding } from './procedure-context.js';
import { transferToHuman } from './identify-customer.js';
import { checkService } from './no-service-path.js';

/** A speed test's rating, as the customer reads it. */
export type SpeedRating = 'no_connection' | 'very_poor' | 'poor' | 'fair' | 'good' | 'excellent';

/** How Path 2.1 ended: data connects again (at `speed`, after `fixes`), or the procedure ended. */
export type Connectivity = { kind: 'connected'; speed: SpeedRating; fixes: string[] } | { kind: 'ended'; ending: ProcedureEnding };

/**
 * Path 2.1 of tech_support_workflow.md (unavailable mobile data), from step 2.1.1; each fix
 * is followed by a new speed test, and the first one that connects ends the path.
 * `checkServiceFirst` runs Path 1 as step 2.1.1 (the MMS path has run it already).
 */
export async function restoreConnectivity(
  ctx: ProcedureContext,
  deps: ProcedureDeps,
  account: Account,
  options: { checkServiceFirst: boolean },
): Promise<Connectivity> {
  const { slots } = deps;
  const fixes: string[] = [];
  const connected = (speed: SpeedRating, fix: string): Connectivity => ({ kind: 'connected', speed, fixes: [...fixes, fix] });
  if (options.checkServiceFirst) {
    const service = await checkService(ctx, deps, account);
    if (service.kind === 'ended') return service;
    if (service.kind === 'restored') {
      fixes.push(service.fix);
      const speed = await ctx.ask(slots.speedAfterServiceRestored);
      if (speed !== 'no_connection') return { kind: 'connected', speed, fixes };
    }
  }
  if (await ctx.ask(slots.abroad)) {
    if (!(await ctx.ask(slots.dataRoamingOn))) {
      const speed = await ctx.ask(slots.speedAfterRoamingOn);
      if (speed !== 'no_connection') return connected(speed, 'turning Data Roaming on');
      fixes.push('turning Data Roaming on');
    }
    const line = lineSchema.parse(await ctx.call(deps.tools.getDetailsById, { id: account.line.line_id }));
    if (!line.roaming_enabled) {
      await ctx.call(deps.tools.enableRoaming, lineRef(account));
      const speed = await ctx.ask(slots.speedAfterLineRoaming);
      if (speed !== 'no_connection') return connected(speed, 'enabling roaming on your line');
      fixes.push('enabling roaming on your line');
    }
  }
  if (!(await ctx.ask(slots.mobileDataOn))) {
    const speed = await ctx.ask(slots.speedAfterDataOn);
    if (speed !== 'no_connection') return connected(speed, 'turning Mobile Data on');
    fixes.push('turning Mobile Data on');
  }
  return checkDataUsage(ctx, deps, account, fixes);
}

/** Step 2.1.4: a used-up data allowance, refuelled as main_policy.md allows (at most 2 GB per line, price confirmed). */
async function checkDataUsage(ctx: ProcedureContext, deps: ProcedureDeps, account: Account, fixes: string[]): Promise<Connectivity> {
  const { slots } = deps;
  const end = (summary: string, toCustomer: string) =>
    transferToHuman(ctx, deps, account, { summary, toCustomer }).then((ending): Connectivity => ({ kind: 'ended', ending }));
  const usage = await ctx.call(deps.tools.getDataUsage, lineRef(account));
  if (usage.data_used_gb < usage.data_limit_gb + usage.data_refueling_gb) {
    return end(
      'no mobile data after the service, roaming and mobile data checks; the data allowance is not used up.',
      'I have tried every step I can take for your mobile data.',
    );
  }
  const room = Math.round((MAX_REFUEL_GB - usage.data_refueling_gb) * 1000) / 1000;
  if (room <= 0) {
    return end(
      `data allowance used up (${usage.data_used_gb} of ${usage.data_limit_gb} GB) and ${usage.data_refueling_gb} GB already refuelled, the most allowed.`,
      `Your line has used all its data and already had the maximum of ${MAX_REFUEL_GB} GB added this month, so I cannot add more.`,
    );
  }
  const choice = await ctx.ask(slots.dataTopUpChoice);
  if (choice === 'change_plan')
    return end(
      'data allowance used up; the customer wants a plan with more data, which a colleague sets up.',
      'Plan changes for a line are made by a colleague.',
    );
  if (choice === 'neither')
    return end(
      'data allowance used up; the customer did not want to refuel or change plan.',
      'Without more data on the line, mobile data stays off until your next billing cycle.',
    );
  const amount = Math.min(await ctx.ask(slots.refuelAmountGb), room);
  if (!(await ctx.ask(slots.refuelConfirmed)))
    return end(
      'data allowance used up; the customer declined the refuel price.',
      'Without more data on the line, mobile data stays off until your next billing cycle.',
    );
  const refuel = await ctx.call(deps.tools.refuelData, { ...lineRef(account), gb_amount: amount });
  const fix = `adding ${amount} GB of data to your line ($${refuel.charge.toFixed(2)} on your next bill)`;
  const speed = await ctx.ask(slots.speedAfterRefuel);
  if (speed === 'no_connection')
    return end(`refuelled ${amount} GB but mobile data still does not connect.`, `I added ${amount} GB to your line, but mobile data still does not connect.`);
  return { kind: 'connected', speed, fixes: [...fixes, fix] };
}

/** Path 2.2 (slow data): data saver, network mode, VPN, each followed by a new speed test. */
async function fixSlowData(ctx: ProcedureContext, deps: ProcedureDeps, account: Account, fixes: string[]): Promise<ProcedureEnding> {
  const { slots } = deps;
  const excellent = (fix: string): ProcedureEnding => ({
    status: 'resolved',
    reply: `Your mobile data runs at excellent speed again, after ${[...fixes, fix].join(', then ')}.`,
    data: { fixes: [...fixes, fix] },
  });
  if (await ctx.ask(slots.dataSaverOn)) {
    if ((await ctx.ask(slots.speedAfterDataSaverOff)) === 'excellent') return excellent('turning Data Saver off');
    fixes.push('turning Data Saver off');
  }
  if ((await ctx.ask(slots.networkMode)) !== '4g_5g_preferred') {
    if ((await ctx.ask(slots.speedAfterNetworkMode)) === 'excellent') return excellent('switching the network mode to 4G/5G preferred');
    fixes.push('switching the network mode to 4G/5G preferred');
  }
  if (await ctx.ask(slots.vpnConnected)) {
    if ((await ctx.ask(slots.speedAfterVpnOff)) === 'excellent') return excellent('disconnecting the VPN');
  }
  return transferToHuman(ctx, deps, account, {
    summary: 'mobile data works but stays below excellent speed after the data saver, network mode and VPN checks.',
    toCustomer: 'Your mobile data works but is still not at full speed, and I have tried every step I can take.',
  });
}

/** The mobile data procedure (Path 2): a speed test, then Path 2.1 when there is no connection and Path 2.2 when it is slow. */
export async function mobileDataProcedure(ctx: ProcedureContext, deps: ProcedureDeps, account: Account): Promise<ProcedureEnding> {
  const speed = await ctx.ask(deps.slots.speedTest);
  if (speed === 'excellent')
    return {
      status: 'resolved',
      reply:
        'Your speed test shows excellent speed, so your mobile data is working well right now. If it drops again, run a speed test and tell me what it shows.',
      data: { fixes: [] },
    };
  if (speed !== 'no_connection') return fixSlowData(ctx, deps, account, []);
  const connectivity = await restoreConnectivity(ctx, deps, account, { checkServiceFirst: true });
  if (connectivity.kind === 'ended') return connectivity.ending;
  if (connectivity.speed === 'excellent') {
    return {
      status: 'resolved',
      reply: `Your mobile data works again at excellent speed, after ${connectivity.fixes.join(', then ')}.`,
      data: { fixes: connectivity.fixes },
    };
  }
  return fixSlowData(ctx, deps, account, connectivity.fixes);
}
