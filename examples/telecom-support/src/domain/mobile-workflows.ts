import { defineWorkflow } from '@ticketflow/core';
import { isEuDestination } from './destinations.js';
import { DATA_SETTINGS_PATH, type DeviceType } from './devices.js';
import { roaming, simActivation } from './intents.js';
import { destination, deviceType, iccid, phone, simFormat } from './slots.js';
import type { TelecomTools } from './telecom-tools.js';
import { optionalText, text } from './workflow-helpers.js';

/**
 * Mobile line workflows: SIM activation (two workflows chosen by `sim_format`) and
 * roaming, which may cost money and so asks for a confirmation first.
 */
export function createMobileWorkflows(tools: TelecomTools) {
  const { activateSim, enableRoaming, sendNotification } = tools;

  const esimActivation = defineWorkflow({
    name: 'esim_activation',
    intent: simActivation,
    description: 'activate an eSIM profile and send its activation code',
    when: (slots) => slots.sim_format === 'esim',
    required: [simFormat, phone],
    optional: [deviceType],
    tools: [activateSim, sendNotification],
    run: async (context) => {
      const line = text(context.slots, 'phone');
      const sim = await context.call(activateSim, { line, format: 'esim' });
      await context.call(sendNotification, { to: line, channel: 'email' as const, text: `Your eSIM activation code: ${sim.activationCode}` });
      const device = optionalText(context.slots, 'device_type') as DeviceType | undefined;
      const where =
        device === 'ios'
          ? 'Settings › Mobile Service › Add eSIM'
          : device === 'android'
            ? 'Settings › Network & internet › SIMs › Download a SIM'
            : 'the eSIM menu of your phone';
      return {
        status: 'resolved',
        reply: `Your eSIM for ${line} is active (${sim.profile}). I emailed you the activation code: scan it in ${where}.`,
      };
    },
  });

  const physicalSimActivation = defineWorkflow({
    name: 'physical_sim_activation',
    intent: simActivation,
    description: 'activate a physical SIM card',
    when: (slots) => slots.sim_format === 'physical',
    required: [simFormat, phone, iccid],
    tools: [activateSim],
    run: async (context) => {
      const line = text(context.slots, 'phone');
      const card = text(context.slots, 'iccid');
      await context.call(activateSim, { line, format: 'physical', iccid: card });
      return { status: 'resolved', reply: `The SIM card ending in ${card.slice(-4)} is now active on ${line}. Insert it and restart your phone.` };
    },
  });

  const roamingActivation = defineWorkflow({
    name: 'roaming_activation',
    intent: roaming,
    description: 'enable roaming',
    required: [phone, destination],
    optional: [deviceType],
    confirm: true,
    tools: [enableRoaming, sendNotification],
    run: async (context) => {
      const line = text(context.slots, 'phone');
      const country = text(context.slots, 'destination');
      const pass = await context.call(enableRoaming, { line, destination: country });
      const price = isEuDestination(country) ? 'at no extra cost (EU roaming)' : `with a day pass at ${pass.dailyPrice} € per day of use`;
      await context.call(sendNotification, { to: line, channel: 'sms' as const, text: `Roaming in ${country} is on ${price}.` });
      const device = optionalText(context.slots, 'device_type') as DeviceType | undefined;
      const tip = device ? ` Turn on Data Roaming in ${DATA_SETTINGS_PATH[device].replace(/ › [^›]+$/, '')} when you land.` : '';
      return { status: 'resolved', reply: `Roaming is enabled for ${line} in ${country} ${price} (${pass.passId}).${tip}` };
    },
  });

  return { esimActivation, physicalSimActivation, roamingActivation };
}
