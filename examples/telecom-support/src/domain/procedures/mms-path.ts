import { type Account, type ProcedureContext, type ProcedureDeps, type ProcedureEnding } from './procedure-context.js';
import { transferToHuman } from './identify-customer.js';
import { restoreConnectivity } from './mobile-data-path.js';
import { checkService } from './no-service-path.js';

const works = (fix: string): ProcedureEnding => ({ status: 'resolved', reply: `Picture messages (MMS) work again, after ${fix}.`, data: { fix } });

/**
 * Path 3 of tech_support_workflow.md (MMS): service (Path 1), mobile data connectivity
 * (Path 2.1, any speed), network technology, Wi-Fi calling, the messaging app's
 * permissions, the MMSC URL; after each fix the customer tries an MMS again.
 */
export async function mmsProcedure(ctx: ProcedureContext, deps: ProcedureDeps, account: Account): Promise<ProcedureEnding> {
  const { slots } = deps;
  if (await ctx.ask(slots.mmsWorks))
    return {
      status: 'resolved',
      reply: 'Your MMS went through, so picture messaging works right now. If it fails again, tell me what the phone says.',
      data: { fix: null },
    };
  const service = await checkService(ctx, deps, account);
  if (service.kind === 'ended') return service.ending;
  if (service.kind === 'restored' && (await ctx.ask(slots.mmsAfterServiceRestored))) return works(service.fix);
  if ((await ctx.ask(slots.speedTest)) === 'no_connection') {
    const connectivity = await restoreConnectivity(ctx, deps, account, { checkServiceFirst: false });
    if (connectivity.kind === 'ended') return connectivity.ending;
    if (await ctx.ask(slots.mmsAfterDataRestored)) return works(connectivity.fixes.join(', then '));
  }
  if ((await ctx.ask(slots.networkTechnology)) === '2G' && (await ctx.ask(slots.mmsAfterNetworkMode)))
    return works('switching the network mode to 4G/5G preferred');
  if ((await ctx.ask(slots.wifiCallingOn)) && (await ctx.ask(slots.mmsAfterWifiCallingOff))) return works('turning Wi-Fi Calling off');
  const granted = await ctx.ask(slots.messagingPermissions);
  if ((!granted.includes('sms') || !granted.includes('storage')) && (await ctx.ask(slots.mmsAfterPermissions)))
    return works('giving the messaging app its SMS and Storage permissions');
  if (!(await ctx.ask(slots.mmscUrlSet)) && (await ctx.ask(slots.mmsAfterApnReset))) return works('resetting the APN settings to the carrier defaults');
  return transferToHuman(ctx, deps, account, {
    summary: 'MMS still fails after the service, data, network type, Wi-Fi calling, permission and MMSC checks.',
    toCustomer: 'Picture messages still fail, and I have tried every step I can take.',
  });
}
