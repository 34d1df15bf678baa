import type { Tau2World } from '../world/tau2-world.js';
import type { CustomerProfile } from './customer-profile.js';

/** What the customer is asked: the pending slot and the agent's words. */
export interface CustomerPrompt {
  slot: string;
  question: string;
}

type Phone = { run(tool: string, args?: Record<string, unknown>): string; state: Tau2World };
type Script = (phone: Phone, profile: CustomerProfile) => string;

const quote = (text: string) => `"${text.replace(/\n/g, ' · ')}"`;

/** Looks at the network status line by line (`Airplane Mode: ON`). */
function networkStatus(phone: Phone): Record<string, string> {
  const lines = phone.run('check_network_status').split('\n');
  return Object.fromEntries(lines.map((line) => line.split(': ')).filter((pair) => pair.length === 2)) as Record<string, string>;
}

const statusBar = (phone: Phone) => `Now my status bar shows: ${quote(phone.run('check_status_bar'))}`;
const speed = (phone: Phone) => `I ran the speed test: ${quote(phone.run('run_speed_test'))}`;
const mms = (phone: Phone) => `I tried to send a picture message: ${quote(phone.run('can_send_mms'))}`;

/** Does what the question asks: `act` only when the setting is not already as asked. */
function ensure(isAsAsked: () => boolean, act: () => void, did: string, already: string): string {
  if (isAsAsked()) return already;
  act();
  return did;
}

/** Runs a write tool and says what was done. */
function act(phone: Phone, tool: string, said: string): string {
  phone.run(tool);
  return said;
}

const speedAfter =
  (change: (phone: Phone) => string): Script =>
  (phone) =>
    `${change(phone)} ${speed(phone)}`;
const mmsAfter =
  (change: (phone: Phone) => string): Script =>
  (phone) =>
    `${change(phone)} ${mms(phone)}`;

const airplaneOff = (phone: Phone) =>
  ensure(
    () => networkStatus(phone)['Airplane Mode'] === 'OFF',
    () => phone.run('toggle_airplane_mode'),
    'I turned Airplane Mode off.',
    'Airplane Mode was already off.',
  );
const roamingOn = (phone: Phone) =>
  ensure(
    () => networkStatus(phone)['Data Roaming Enabled'] === 'Yes',
    () => phone.run('toggle_roaming'),
    'I turned Data Roaming on.',
    'Data Roaming was already on.',
  );
const dataOn = (phone: Phone) =>
  ensure(
    () => networkStatus(phone)['Mobile Data Enabled'] === 'Yes',
    () => phone.run('toggle_data'),
    'I turned Mobile Data on.',
    'Mobile Data was already on.',
  );
const dataSaverOff = (phone: Phone) =>
  ensure(
    () => /OFF/.test(phone.run('check_data_restriction_status')),
    () => phone.run('toggle_data_saver_mode'),
    'I turned Data Saver off.',
    'Data Saver was already off.',
  );
const preferFiveG = (phone: Phone) => {
  phone.run('set_network_mode_preference', { mode: '4g_5g_preferred' });
  return 'I set the network mode preference to 4G/5G preferred.';
};
const vpnOff = (phone: Phone) =>
  ensure(
    () => !/ON and connected/.test(phone.run('check_vpn_status')),
    () => phone.run('disconnect_vpn'),
    'I disconnected the VPN.',
    'No VPN was connected.',
  );
const wifiCallingOff = (phone: Phone) =>
  ensure(
    () => /OFF/.test(phone.run('check_wifi_calling_status')),
    () => phone.run('toggle_wifi_calling'),
    'I turned Wi-Fi Calling off.',
    'Wi-Fi Calling was already off.',
  );
const resetApnAndReboot = (phone: Phone) => {
  phone.run('reset_apn_settings');
  phone.run('reboot_device');
  return 'I reset the APN settings and restarted the phone.';
};
const grantMessagingPermissions = (phone: Phone) => {
  const granted = phone.run('check_app_permissions', { app_name: 'messaging' });
  const missing = ['sms', 'storage'].filter((permission) => !new RegExp(`\\b${permission}\\b`).test(granted.replace(/^.*?:/, '')));
  for (const permission of missing) phone.run('grant_app_permission', { app_name: 'messaging', permission });
  return missing.length > 0
    ? `I gave the messaging app the ${missing.join(' and ')} permission${missing.length > 1 ? 's' : ''}.`
    : 'The messaging app already had both permissions.';
};

function payBill(phone: Phone, profile: CustomerProfile): string {
  const request = phone.run('check_payment_request');
  if (/no payment request/i.test(request)) return `I checked, but ${quote(request)}`;
  if (!profile.paysBills) return `I see ${quote(request)}, but I don't want to pay it right now.`;
  return `I checked my payment requests: ${quote(request)}. I accepted it: ${quote(phone.run('make_payment'))} So yes, I paid it.`;
}

/**
 * What the customer does for each question of the procedures, by slot: they act on their
 * phone only as the question asks (turning a setting off only when it is on), look at what
 * the question says to look at, and answer with what the phone shows, like τ²'s simulated
 * user, who must ground every answer on a tool call. Preferences come from the task
 * (refuel, plan change, paying bills).
 */
export const CUSTOMER_SCRIPTS: Readonly<Record<string, Script>> = {
  status_bar: (phone) => `My status bar shows: ${quote(phone.run('check_status_bar'))}`,
  service_after_airplane_off: (phone) => `${airplaneOff(phone)} ${statusBar(phone)}`,
  sim_status: (phone) => `I checked the SIM card: ${quote(phone.run('check_sim_status'))}`,
  service_after_sim_reseat: (phone) => `${act(phone, 'reseat_sim_card', 'I took the SIM card out and put it back in.')} ${statusBar(phone)}`,
  service_after_apn_reset: (phone) => `${resetApnAndReboot(phone)} ${statusBar(phone)}`,
  overdue_bill_paid: payBill,
  second_overdue_bill_paid: payBill,
  third_overdue_bill_paid: payBill,
  service_after_line_resume: (phone) => `${act(phone, 'reboot_device', 'I restarted the phone.')} ${statusBar(phone)}`,
  speed_test: speed,
  speed_after_service_restored: speed,
  speed_after_line_roaming: speed,
  speed_after_refuel: speed,
  speed_after_roaming_on: speedAfter(roamingOn),
  speed_after_data_on: speedAfter(dataOn),
  speed_after_data_saver_off: speedAfter(dataSaverOff),
  speed_after_network_mode: speedAfter(preferFiveG),
  speed_after_vpn_off: speedAfter(vpnOff),
  abroad: (phone, profile) => ((profile.abroad ?? phone.state.surroundings.is_abroad) ? 'Yes, I am abroad at the moment.' : 'No, I am at home.'),
  data_roaming_on: (phone) => `My network status says: Data Roaming Enabled: ${networkStatus(phone)['Data Roaming Enabled']}.`,
  mobile_data_on: (phone) => `My network status says: Mobile Data Enabled: ${networkStatus(phone)['Mobile Data Enabled']}.`,
  data_top_up_choice: (_phone, profile) =>
    profile.refuelGb > 0
      ? `I'd like to refuel, I can take ${profile.refuelGb} GB.`
      : profile.acceptsPlanChange
        ? "I'd rather change my plan."
        : "Neither, I don't want to refuel or change my plan.",
  refuel_amount_gb: (_phone, profile) => `${profile.refuelGb} GB please.`,
  refuel_confirmed: (_phone, profile) => (profile.refuelGb > 0 ? 'Yes, that price is fine, go ahead.' : "No, I don't want that."),
  data_saver_on: (phone) => `I checked: ${quote(phone.run('check_data_restriction_status'))}`,
  network_mode: (phone) => `I checked: ${quote(phone.run('check_network_mode_preference'))}`,
  vpn_connected: (phone) => `I checked: ${quote(phone.run('check_vpn_status'))}`,
  mms_works: mms,
  mms_after_service_restored: mms,
  mms_after_data_restored: mms,
  mms_after_network_mode: mmsAfter(preferFiveG),
  mms_after_wifi_calling_off: mmsAfter(wifiCallingOff),
  mms_after_permissions: mmsAfter(grantMessagingPermissions),
  mms_after_apn_reset: mmsAfter(resetApnAndReboot),
  network_technology: (phone) => `My network status says: Cellular Network Type: ${networkStatus(phone)['Cellular Network Type']}.`,
  wifi_calling_on: (phone) => `I checked: ${quote(phone.run('check_wifi_calling_status'))}`,
  messaging_permissions: (phone) => `I checked: ${quote(phone.run('check_app_permissions', { app_name: 'messaging' }))}`,
  mmsc_url_set: (phone) => `I checked my APN settings: ${quote(phone.run('check_apn_settings'))}`,
  phone: (_phone, profile) => (profile.phone ? `My number is ${profile.phone}.` : "I don't know my number."),
  confirm: () => 'Yes, please go ahead.',
};

/**
 * The τ² customer, scripted: answers each question by acting on and looking at the simulated
 * phone (every action logged by the world with requestor `user`). A question it has no script
 * for gets "I'm not sure what you mean", as a person would say.
 */
export class ScriptedCustomer {
  readonly profile: CustomerProfile;
  private readonly phone: Phone;

  constructor(world: Tau2World, profile: CustomerProfile) {
    this.profile = profile;
    this.phone = { run: (tool, args = {}) => world.userTool(tool, args).output, state: world };
  }

  /** The first message: the task's ticket. */
  opening(): string {
    return this.profile.opening;
  }

  /** The answer to one question. */
  answer(prompt: CustomerPrompt): string {
    if (prompt.slot === 'intent') return this.profile.opening;
    const script = CUSTOMER_SCRIPTS[prompt.slot];
    return script ? script(this.phone, this.profile) : `I'm not sure what you mean by "${prompt.question}"`;
  }
}
