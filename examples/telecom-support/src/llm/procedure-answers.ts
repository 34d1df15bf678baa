/**
 * Readers for the answers to the troubleshooting questions (the procedure slots of
 * `src/domain/procedures/procedure-slots.ts`): what the offline LLM extracts when a customer
 * answers the pending question. They read what a phone screen says (the status bar, the
 * network status, a speed test…) as well as short answers a person types ("no signal",
 * "yes", "5G"). Each returns undefined when the message does not answer the question, so the
 * agent asks again.
 */

type Reader = (message: string) => unknown;

/** What a status bar shows: airplane mode, no signal, or signal bars. */
export function readServiceSeen(message: string): 'signal' | 'no_signal' | 'airplane_mode' | undefined {
  const bar = /Status Bar:([^\n"]*)/i.exec(message)?.[1];
  if (bar !== undefined) {
    if (/✈️|Airplane Mode/i.test(bar)) return 'airplane_mode';
    if (/No Signal/i.test(bar)) return 'no_signal';
    if (/📶/.test(bar)) return 'signal';
  }
  if (/airplane mode is (?:still )?on|✈/i.test(message)) return 'airplane_mode';
  // 📵 marks both No Signal and Data Disabled: only the words decide.
  if (/\bno (?:signal|service|bars)\b|still nothing|nothing changed/i.test(message)) return 'no_signal';
  if (/📶|\b(?:signal|bars|service is back|have service|connected)\b/i.test(message)) return 'signal';
  return undefined;
}

/** A speed test's rating: `no_connection`, or very_poor … excellent. */
export function readSpeed(message: string): string | undefined {
  const rated = /\((Very Poor|Poor|Fair|Good|Excellent)\)/i.exec(message)?.[1];
  if (rated) return rated.toLowerCase().replace(' ', '_');
  if (/no connection|test failed|no internet|doesn'?t (?:work|connect)|no data/i.test(message)) return 'no_connection';
  const word = /\b(very poor|excellent|good|fair|poor)\b/i.exec(message)?.[1];
  return word?.toLowerCase().replace(' ', '_');
}

/** A yes/no read from a labelled line (`Mobile Data Enabled: No`) or a plain answer. */
function flag(label: RegExp, on: RegExp, off: RegExp): Reader {
  return (message) => {
    const line = label.exec(message)?.[1];
    if (line !== undefined) return on.test(line) ? true : off.test(line) ? false : undefined;
    return plainYesNo(message);
  };
}

/** yes/no at the start of a message ("Yes, it's on", "no"). */
export function plainYesNo(message: string): boolean | undefined {
  if (/^\s*(?:yes|yeah|yep|sure|ok(?:ay)?|correct|it is|it's on|on)\b/i.test(message)) return true;
  if (/^\s*(?:no|nope|not|it's off|off|it isn'?t)\b/i.test(message)) return false;
  return undefined;
}

const mms: Reader = (message) => {
  if (/cannot send MMS|can'?t send|not able to send|still fails|doesn'?t work|didn'?t go through|failed/i.test(message)) return false;
  if (/can send MMS|went through|it works|was sent|works now/i.test(message)) return true;
  return plainYesNo(message);
};

const paid: Reader = (message) => {
  if (/don'?t want to pay|won'?t pay|not (?:going to )?pay|declin|no payment request|refuse/i.test(message)) return false;
  if (/\b(?:paid|made the payment|payment (?:of|for) .* made|payment made)\b/i.test(message)) return true;
  return plainYesNo(message);
};

const speedReaders = [
  'speed_test',
  'speed_after_service_restored',
  'speed_after_roaming_on',
  'speed_after_line_roaming',
  'speed_after_data_on',
  'speed_after_refuel',
  'speed_after_data_saver_off',
  'speed_after_network_mode',
  'speed_after_vpn_off',
];
const serviceReaders = ['status_bar', 'service_after_airplane_off', 'service_after_sim_reseat', 'service_after_apn_reset', 'service_after_line_resume'];
const mmsReaders = [
  'mms_works',
  'mms_after_service_restored',
  'mms_after_data_restored',
  'mms_after_network_mode',
  'mms_after_wifi_calling_off',
  'mms_after_permissions',
  'mms_after_apn_reset',
];

/** The reader of each procedure slot, by slot name. */
export const PROCEDURE_ANSWER_READERS: Readonly<Record<string, Reader>> = {
  ...Object.fromEntries(speedReaders.map((name) => [name, readSpeed])),
  ...Object.fromEntries(serviceReaders.map((name) => [name, readServiceSeen])),
  ...Object.fromEntries(mmsReaders.map((name) => [name, mms])),
  sim_status: (message) => {
    if (/PUK/i.test(message)) return 'locked_puk';
    if (/PIN|locked/i.test(message)) return 'locked_pin';
    if (/no SIM|missing|not detected|not inserted/i.test(message)) return 'missing';
    if (/active|working|fine/i.test(message)) return 'active';
    return undefined;
  },
  overdue_bill_paid: paid,
  second_overdue_bill_paid: paid,
  third_overdue_bill_paid: paid,
  abroad: (message) => {
    if (/\b(?:not (?:abroad|travell?ing)|at home|home)\b/i.test(message)) return false;
    if (/\b(?:abroad|travell?ing|overseas|outside)\b/i.test(message)) return true;
    return plainYesNo(message);
  },
  data_roaming_on: flag(/Data Roaming Enabled:\s*(\w+)/i, /yes/i, /no/i),
  mobile_data_on: flag(/Mobile Data Enabled:\s*(\w+)/i, /yes/i, /no/i),
  data_saver_on: flag(/Data Saver mode is\s*(\w+)/i, /on/i, /off/i),
  wifi_calling_on: flag(/Wi-Fi Calling is\s*(\w+)/i, /on/i, /off/i),
  vpn_connected: (message) => {
    if (/VPN is ON and connected/i.test(message)) return true;
    if (/VPN is OFF|not connected|no VPN/i.test(message)) return false;
    return plainYesNo(message);
  },
  mmsc_url_set: (message) => {
    const url = /MMSC URL:\s*([^\n]+)/i.exec(message)?.[1];
    if (url !== undefined) return !/^not set/i.test(url.trim());
    if (/not set|missing|empty|no mmsc/i.test(message)) return false;
    return plainYesNo(message);
  },
  network_mode: (message) => {
    const text = /Network Mode Preference:\s*(\S+)/i.exec(message)?.[1] ?? message;
    if (/4g_5g_preferred|5g/i.test(text)) return '4g_5g_preferred';
    const only = /\b([234]g)(?:[_ ]only)?\b/i.exec(text)?.[1];
    return only ? `${only.toLowerCase()}_only` : undefined;
  },
  network_technology: (message) => {
    const type = /Cellular Network Type:\s*(\w+)/i.exec(message)?.[1] ?? /\b([2345]G)\b/i.exec(message)?.[1];
    if (type === undefined) return /no (?:network|service|signal)/i.test(message) ? 'none' : undefined;
    return type.toLowerCase() === 'none' ? 'none' : type.toUpperCase();
  },
  messaging_permissions: (message) => {
    if (/has no permissions|no permissions|none granted/i.test(message)) return [];
    const list = /permissions?(?: granted)?:?\s*([a-z ,]+)/i.exec(message)?.[1] ?? message;
    const found = list.toLowerCase().match(/\b(sms|storage|phone|network)\b/g);
    return found ? [...new Set(found)] : undefined;
  },
  data_top_up_choice: (message) => {
    if (/\b(?:neither|no thanks|none|nothing)\b|^\s*no\b/i.test(message)) return 'neither';
    if (/\b(?:refuel|add (?:more )?data|top[ -]?up|buy (?:more )?data)\b/i.test(message)) return 'refuel';
    if (/\b(?:change|switch|upgrade)\b.{0,20}\bplan\b/i.test(message)) return 'change_plan';
    return undefined;
  },
  refuel_amount_gb: (message) => {
    const amount = /(\d+(?:[.,]\d+)?)\s*(?:gb|gigabytes?)?/i.exec(message)?.[1];
    return amount === undefined ? undefined : Number(amount.replace(',', '.'));
  },
  refuel_confirmed: (message) => {
    if (/\b(?:don'?t|do not|no|not now|cancel)\b/i.test(message) && !/^\s*yes/i.test(message)) return false;
    if (/\b(?:yes|ok(?:ay)?|sure|fine|go ahead|please do|confirm)\b/i.test(message)) return true;
    return undefined;
  },
};

/** The answer a message gives to the pending procedure question `slot`, or undefined. */
export function readProcedureAnswer(slot: string, message: string): unknown {
  return PROCEDURE_ANSWER_READERS[slot]?.(message);
}

/** True for the slots the procedures ask. */
export function isProcedureSlot(slot: string): boolean {
  return slot in PROCEDURE_ANSWER_READERS;
}
