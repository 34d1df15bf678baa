import { defineSlot, type SlotDefinition } from '@ticketflow/core';
import { z } from 'zod';

/**
 * The slots the troubleshooting procedures ask mid-run (`ctx.ask`, DESIGN E6). Each is one
 * question of `tech_support_workflow.md`: an instruction to the customer (look at, or change,
 * something on the phone) and what they saw, read into a small value by the LLM.
 *
 * A slot is asked at most once per procedure: asking a known slot returns its value. A step
 * that re-checks after a change ("turn Data Saver off, then run the speed test again") is
 * therefore its own slot (`speed_after_data_saver_off`), never the first check asked again.
 */

const words = (value: unknown) =>
  typeof value === 'string'
    ? value
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '_')
    : value;

/** true/false from what people and models write: yes/no, on/off, enabled/disabled, works/doesn't. */
export const yesNo = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const text = value.trim().toLowerCase();
  if (/^(yes|y|true|on|enabled|active|connected|set|works?|it works|sent|paid|done|ok(ay)?)$/.test(text)) return true;
  if (/^(no|n|false|off|disabled|inactive|not connected|not set|missing|fails?|doesn'?t work|not sent|not paid|declined?)$/.test(text)) return false;
  return value;
}, z.boolean());

const serviceSeen = z.preprocess(
  (value) => {
    const text = words(value);
    if (typeof text !== 'string') return text;
    if (/airplane|flight/.test(text)) return 'airplane_mode';
    if (/^(no_signal|no_service|none|📵_no_signal)$/.test(text)) return 'no_signal';
    if (/^(signal|has_signal|service|connected|bars)$/.test(text)) return 'signal';
    return text;
  },
  z.enum(['signal', 'no_signal', 'airplane_mode']),
);

const speedSeen = z.preprocess(words, z.enum(['no_connection', 'very_poor', 'poor', 'fair', 'good', 'excellent']));

const serviceDescription = (what: string) =>
  `${what} Value: "airplane_mode" when the status bar shows ✈️ Airplane Mode, "no_signal" when it shows 📵 No Signal (no service), "signal" when it shows signal bars (📶).`;
const speedDescription = (what: string) =>
  `${what} Value: the speed test's rating: "no_connection" when it failed (no connection), else "very_poor", "poor", "fair", "good" or "excellent".`;
const mmsDescription = (what: string) => `${what} Value: true when the MMS could be sent, false when it could not.`;

function serviceSlot(name: string, question: string): SlotDefinition<'signal' | 'no_signal' | 'airplane_mode'> {
  return defineSlot({ name, schema: serviceSeen, question, description: serviceDescription(question) });
}

function speedSlot(name: string, question: string): SlotDefinition<'no_connection' | 'very_poor' | 'poor' | 'fair' | 'good' | 'excellent'> {
  return defineSlot({ name, schema: speedSeen, question, description: speedDescription(question) });
}

function mmsSlot(name: string, question: string): SlotDefinition<boolean> {
  return defineSlot({ name, schema: yesNo, question, description: mmsDescription(question) });
}

function flagSlot(name: string, question: string, meaning: string): SlotDefinition<boolean> {
  return defineSlot({ name, schema: yesNo, question, description: `${question} Value: ${meaning}` });
}

/** A refuel price per GB, for the confirmation question. */
export interface RefuelPrice {
  name: string;
  data_refueling_price_per_gb: number;
}

/**
 * Builds every procedure slot. `plans` fills the refuel confirmation's question with the
 * price per GB of each plan (a slot's question is fixed text, DESIGN D4).
 */
export function createProcedureSlots(plans: readonly RefuelPrice[]) {
  const prices = plans.map((plan) => `${plan.name} $${plan.data_refueling_price_per_gb.toFixed(2)}/GB`).join(', ');
  return {
    // Path 1: no service
    statusBar: serviceSlot('status_bar', 'Please look at the status bar at the top of your phone screen: what does it show?'),
    serviceAfterAirplaneOff: serviceSlot(
      'service_after_airplane_off',
      'Please turn Airplane Mode off, then look at your status bar again: what does it show now?',
    ),
    simStatus: defineSlot({
      name: 'sim_status',
      schema: z.preprocess(
        (value) => {
          const text = words(value);
          if (typeof text !== 'string') return text;
          if (/puk/.test(text)) return 'locked_puk';
          if (/pin|locked/.test(text)) return 'locked_pin';
          if (/missing|no_sim|not_detected|not_inserted/.test(text)) return 'missing';
          if (/active|working|ok/.test(text)) return 'active';
          return text;
        },
        z.enum(['active', 'missing', 'locked_pin', 'locked_puk']),
      ),
      question: 'Please check the status of your SIM card: is it active, missing, or locked with a PIN or PUK code?',
      description: 'The SIM card status the customer reports: "active", "missing" (no SIM detected), "locked_pin" or "locked_puk".',
    }),
    serviceAfterSimReseat: serviceSlot(
      'service_after_sim_reseat',
      'Please take your SIM card out and put it back in (re-seat it), then look at your status bar: what does it show now?',
    ),
    serviceAfterApnReset: serviceSlot(
      'service_after_apn_reset',
      'Please reset your APN settings to the default, then restart your phone. Once it is back on, what does your status bar show?',
    ),
    billsPaid: [
      flagSlot(
        'overdue_bill_paid',
        'I have sent a payment request for your overdue bill to your phone. Please check your payment requests and, if you accept it, make the payment. Have you paid it?',
        'true when the customer made the payment, false when they did not.',
      ),
      flagSlot(
        'second_overdue_bill_paid',
        'I have sent a payment request for your next overdue bill. Please check your payment requests and make the payment if you accept it. Have you paid it?',
        'true when the customer made the payment, false when they did not.',
      ),
      flagSlot(
        'third_overdue_bill_paid',
        'I have sent a payment request for your last overdue bill. Please check your payment requests and make the payment if you accept it. Have you paid it?',
        'true when the customer made the payment, false when they did not.',
      ),
    ],
    serviceAfterLineResume: serviceSlot(
      'service_after_line_resume',
      'Your line is active again. Please restart your phone, then look at your status bar: what does it show now?',
    ),
    // Path 2: mobile data
    speedTest: speedSlot('speed_test', 'Please run a speed test on your phone, using mobile data (not Wi-Fi): what result do you get?'),
    speedAfterServiceRestored: speedSlot(
      'speed_after_service_restored',
      'Now that your phone has service again, please run the speed test again: what result do you get?',
    ),
    abroad: flagSlot(
      'abroad',
      'Are you currently outside your usual service area, for example travelling abroad?',
      'true when the customer is abroad or travelling, false when at home.',
    ),
    dataRoamingOn: flagSlot(
      'data_roaming_on',
      "Please check your phone's network status: is Data Roaming turned on?",
      'true when Data Roaming is on, false when it is off.',
    ),
    speedAfterRoamingOn: speedSlot('speed_after_roaming_on', 'Please turn Data Roaming on, then run the speed test again: what result do you get?'),
    speedAfterLineRoaming: speedSlot(
      'speed_after_line_roaming',
      'Roaming was not enabled on your line: I have enabled it, at no cost. Please run the speed test again: what result do you get?',
    ),
    mobileDataOn: flagSlot(
      'mobile_data_on',
      "Please check your phone's network status: is Mobile Data turned on?",
      'true when Mobile Data is on, false when it is off.',
    ),
    speedAfterDataOn: speedSlot('speed_after_data_on', 'Please turn Mobile Data on, then run the speed test again: what result do you get?'),
    dataTopUpChoice: defineSlot({
      name: 'data_top_up_choice',
      schema: z.preprocess(
        (value) => {
          const text = words(value);
          if (typeof text !== 'string') return text;
          if (/refuel|add|top_?up|more_data|buy/.test(text)) return 'refuel';
          if (/plan/.test(text)) return 'change_plan';
          if (/^(neither|none|no|nothing)$/.test(text)) return 'neither';
          return text;
        },
        z.enum(['refuel', 'change_plan', 'neither']),
      ),
      question:
        'Your line has used all the data of its plan, which cuts off mobile data. I can add data to the line now (refuelling, charged per GB at your plan’s price), or you can change to a plan with more data. Which would you prefer?',
      description: 'What the customer chose about the used-up data: "refuel" (add data now), "change_plan" (a plan with more data) or "neither".',
    }),
    refuelAmountGb: defineSlot({
      name: 'refuel_amount_gb',
      schema: z.preprocess(
        (value) => (typeof value === 'string' ? Number(value.replace(/[^\d.,]/g, '').replace(',', '.')) : value),
        z.number().positive().max(2),
      ),
      question: 'How much data would you like to add, in GB? You can add up to 2 GB.',
      description: 'How many GB of data the customer wants to add to the line (a number, at most 2).',
    }),
    refuelConfirmed: flagSlot(
      'refuel_confirmed',
      `Refuelled data is charged at your plan's price per GB and added to your next bill (${prices}). Shall I add it now?`,
      'true when the customer accepts the price and wants the data added, false when not.',
    ),
    speedAfterRefuel: speedSlot('speed_after_refuel', 'I have added the data to your line. Please run the speed test again: what result do you get?'),
    dataSaverOn: flagSlot('data_saver_on', 'Please check your data restrictions: is Data Saver mode on?', 'true when Data Saver is on, false when it is off.'),
    speedAfterDataSaverOff: speedSlot('speed_after_data_saver_off', 'Please turn Data Saver mode off, then run the speed test again: what result do you get?'),
    networkMode: defineSlot({
      name: 'network_mode',
      schema: z.preprocess(
        (value) => {
          const text = words(value);
          if (typeof text !== 'string') return text;
          if (/5g/.test(text)) return '4g_5g_preferred';
          const only = /^(2g|3g|4g)(_only)?$/.exec(text);
          return only ? `${only[1]}_only` : text;
        },
        z.enum(['4g_5g_preferred', '4g_only', '3g_only', '2g_only']),
      ),
      question: 'Please check your network mode preference: which network type does your phone prefer (4G/5G preferred, 4G only, 3G only or 2G only)?',
      description: 'The network mode preference the customer reports: "4g_5g_preferred", "4g_only", "3g_only" or "2g_only".',
    }),
    speedAfterNetworkMode: speedSlot(
      'speed_after_network_mode',
      'Please change your network mode preference to 4G/5G preferred, then run the speed test again: what result do you get?',
    ),
    vpnConnected: flagSlot('vpn_connected', 'Please check your VPN status: are you connected to a VPN?', 'true when a VPN is connected, false when not.'),
    speedAfterVpnOff: speedSlot('speed_after_vpn_off', 'Please disconnect the VPN, then run the speed test again: what result do you get?'),
    // Path 3: MMS
    mmsWorks: mmsSlot('mms_works', 'Please try to send a picture message (MMS) with your default messaging app: does it work?'),
    mmsAfterServiceRestored: mmsSlot('mms_after_service_restored', 'Now that your phone has service again, please try to send the MMS again: does it work?'),
    mmsAfterDataRestored: mmsSlot('mms_after_data_restored', 'Now that mobile data works again, please try to send the MMS again: does it work?'),
    networkTechnology: defineSlot({
      name: 'network_technology',
      schema: z.preprocess(
        (value) =>
          typeof value === 'string'
            ? value
                .trim()
                .toUpperCase()
                .replace(/^NONE$/, 'none')
            : value,
        z.enum(['none', '2G', '3G', '4G', '5G']),
      ),
      question: "Please check your phone's network status: which network type is it connected to (2G, 3G, 4G or 5G)?",
      description: 'The cellular network type the phone is connected to: "2G", "3G", "4G", "5G", or "none".',
    }),
    mmsAfterNetworkMode: mmsSlot(
      'mms_after_network_mode',
      'Please change your network mode preference to 4G/5G preferred, then try to send the MMS again: does it work?',
    ),
    wifiCallingOn: flagSlot('wifi_calling_on', 'Please check whether Wi-Fi Calling is turned on.', 'true when Wi-Fi Calling is on, false when it is off.'),
    mmsAfterWifiCallingOff: mmsSlot('mms_after_wifi_calling_off', 'Please turn Wi-Fi Calling off, then try to send the MMS again: does it work?'),
    messagingPermissions: defineSlot({
      name: 'messaging_permissions',
      schema: z.preprocess(
        (value) => {
          if (typeof value !== 'string') return value;
          if (/\b(no|none)\b/i.test(value)) return [];
          return value.toLowerCase().match(/\b(sms|storage|phone|network)\b/g) ?? value;
        },
        z.array(z.enum(['sms', 'storage', 'phone', 'network'])),
      ),
      question: 'Please check the permissions of your messaging app: which permissions does it have?',
      description: 'The permissions the messaging app has, as a list of "sms", "storage", "phone", "network" (an empty list when it has none).',
    }),
    mmsAfterPermissions: mmsSlot(
      'mms_after_permissions',
      'Please give your messaging app both the SMS and the Storage permission, then try to send the MMS again: does it work?',
    ),
    mmscUrlSet: flagSlot(
      'mmsc_url_set',
      'Please check your APN settings: is an MMSC URL set?',
      'true when an MMSC URL is set, false when it is missing ("Not Set").',
    ),
    mmsAfterApnReset: mmsSlot(
      'mms_after_apn_reset',
      'Please reset your APN settings to the carrier defaults and restart your phone, then try to send the MMS again: does it work?',
    ),
  };
}

/** The procedure slots of one domain. */
export type ProcedureSlots = ReturnType<typeof createProcedureSlots>;
