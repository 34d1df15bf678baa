import { DEFAULT_APN } from './load-data.js';
import { canSendMms, effectiveSimStatus, networkSearch, speedTest, statusBar } from './phone-rules.js';
import {
  APP_PERMISSIONS,
  type ApnSettings,
  type AppPermission,
  type Device,
  NETWORK_MODE_PREFERENCES,
  type NetworkModePreference,
  type Surroundings,
} from './types.js';
import { WorldToolError } from './carrier-records.js';

/** What a user tool acts on: the phone, its surroundings, and `markPaid` for the payment request. */
export interface PhoneSide {
  device: Device;
  surroundings: Surroundings;
}

/** A tool the customer runs on their phone (MODEL §4). Write tools change the phone; read tools only look. */
export interface UserTool {
  kind: 'read' | 'write';
  /** Runs it and returns what the phone shows. @throws {WorldToolError} for invalid arguments (nothing changed). */
  run(phone: PhoneSide, args: Record<string, unknown>): string;
}

const VPN_DEFAULT = { server_address: '192.168.1.1', protocol: 'OpenVPN', server_performance: 'excellent' } as const;

const onOff = (value: boolean) => (value ? 'ON' : 'OFF');
const yesNo = (value: boolean) => (value ? 'Yes' : 'No');

/** Toggles airplane mode with the side effects of MODEL §4.2, then searches. */
export function toggleAirplaneMode({ device, surroundings }: PhoneSide): string {
  device.airplane_mode = !device.airplane_mode;
  if (device.airplane_mode) {
    dropWifi(device);
    if (device.vpn_connected) {
      device.vpn_connected = false;
      device.vpn_details = null;
    }
  } else {
    device.network_connection_status = 'searching';
    if (device.wifi_enabled) dropWifi(device);
  }
  networkSearch(device, surroundings);
  return `Airplane Mode is now ${onOff(device.airplane_mode)}.\n${statusBar(device)}`;
}

function dropWifi(device: Device): void {
  device.wifi_connected = false;
  device.wifi_ssid = null;
  device.wifi_signal_strength = 'none';
}

/** Sets the network mode preference (with a search) when it is valid; an invalid one changes nothing. */
export function setNetworkModePreference({ device, surroundings }: PhoneSide, mode: unknown): string {
  if (typeof mode !== 'string' || !(NETWORK_MODE_PREFERENCES as readonly string[]).includes(mode)) {
    return `Failed to set network mode: '${String(mode)}' is not a valid option. Valid options are: ${NETWORK_MODE_PREFERENCES.join(', ')}.`;
  }
  device.network_mode_preference = mode as NetworkModePreference;
  networkSearch(device, surroundings);
  return `Network mode preference set to ${mode}.\n${statusBar(device)}`;
}

/** Replaces the active APN (missing fields take the defaults). @throws {WorldToolError} for an invalid APN. */
export function setApnSettings({ device, surroundings }: PhoneSide, settings: unknown): string {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) throw new WorldToolError('apn_settings must be an object');
  const allowed = Object.keys(DEFAULT_APN);
  const unknown = Object.keys(settings).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new WorldToolError(`Unknown APN field(s): ${unknown.join(', ')}`);
  const next = { ...DEFAULT_APN, ...(settings as Partial<ApnSettings>) };
  if (next.apn_name !== 'internet' && next.apn_name !== 'broken') throw new WorldToolError(`Invalid apn_name: ${String(next.apn_name)}`);
  device.active_apn_settings = next;
  networkSearch(device, surroundings);
  return `APN settings updated.\n${statusBar(device)}`;
}

/** Connects the VPN with a fresh default profile (MODEL Q1: a copy each time). */
export function connectVpn({ device }: PhoneSide): string {
  if (device.vpn_connected) return 'VPN is already connected.';
  device.vpn_connected = true;
  device.vpn_details = { ...VPN_DEFAULT };
  return `VPN connected to ${VPN_DEFAULT.server_address}.\n${statusBar(device)}`;
}

function normalisePermission(permission: unknown): string {
  return typeof permission === 'string' ? permission.trim().toLowerCase() : '';
}

function grantPermission({ device }: PhoneSide, args: Record<string, unknown>): string {
  const appName = String(args.app_name ?? '');
  const permission = normalisePermission(args.permission);
  const app = device.app_statuses[appName];
  if (!app) return `Error. App '${appName}' is not installed.`;
  if (!(APP_PERMISSIONS as readonly string[]).includes(permission))
    return `Error. Unknown permission '${String(args.permission)}'. Valid permissions: ${APP_PERMISSIONS.join(', ')}.`;
  app.permissions[permission as AppPermission] = true;
  return `Success. The ${permission} permission was granted to ${appName}.`;
}

/** Removes a permission (task set-up only). Returns whether it worked. */
export function removePermission({ device }: PhoneSide, appName: string, permission: string): boolean {
  const app = device.app_statuses[appName];
  const name = normalisePermission(permission);
  if (!app || !(APP_PERMISSIONS as readonly string[]).includes(name)) return false;
  app.permissions[name as AppPermission] = false;
  return true;
}

function grantedList(permissions: Record<AppPermission, boolean>): string[] {
  return APP_PERMISSIONS.filter((permission) => permissions[permission]);
}

function networkStatus({ device }: PhoneSide): string {
  const lines = [
    `Airplane Mode: ${onOff(device.airplane_mode)}`,
    `SIM Card Status: ${effectiveSimStatus(device)}`,
    `Cellular Connection: ${device.network_connection_status}`,
    `Cellular Signal: ${device.network_signal_strength}`,
    `Cellular Network Type: ${device.network_technology_connected}`,
    `Mobile Data Enabled: ${yesNo(device.data_enabled)}`,
    `Data Roaming Enabled: ${yesNo(device.roaming_enabled)}`,
    `Wi-Fi Radio: ${onOff(device.wifi_enabled)}`,
    `Wi-Fi Connected: ${yesNo(device.wifi_connected)}`,
  ];
  if (device.wifi_connected && device.wifi_ssid !== null) lines.push(`Wi-Fi Network: ${device.wifi_ssid}`);
  return lines.join('\n');
}

const SIM_SENTENCES = {
  active: 'Your SIM card is active and working.',
  missing: 'No SIM card detected in the phone.',
  locked_pin: 'The SIM card is locked with a PIN code.',
  locked_puk: 'The SIM card is locked with a PUK code.',
} as const;

function runSpeedTest({ device, surroundings }: PhoneSide): string {
  const result = speedTest(device, surroundings);
  if (result.mbps === null) return `Speed test failed: ${result.description}.`;
  const advice =
    result.mbps < 1
      ? 'Very slow: even basic browsing will struggle.'
      : result.mbps < 5
        ? 'Slow: fine for messages and light browsing.'
        : result.mbps < 25
          ? 'Okay for browsing and SD video.'
          : result.mbps < 100
            ? 'Good: fine for most uses, including HD video.'
            : 'Very fast: suitable for any activity.';
  return `Speed test result: ${result.mbps.toFixed(2)} Mbps (${result.description}). ${advice}`;
}

function search({ device, surroundings }: PhoneSide): void {
  networkSearch(device, surroundings);
}

/** Every user tool of MODEL §4, by name. */
export const USER_TOOLS: Readonly<Record<string, UserTool>> = {
  check_status_bar: { kind: 'read', run: ({ device }) => statusBar(device) },
  check_network_status: { kind: 'read', run: networkStatus },
  check_network_mode_preference: { kind: 'read', run: ({ device }) => `Network Mode Preference: ${device.network_mode_preference}` },
  check_sim_status: { kind: 'read', run: ({ device }) => SIM_SENTENCES[effectiveSimStatus(device)] },
  check_data_restriction_status: { kind: 'read', run: ({ device }) => `Data Saver mode is ${onOff(device.data_saver_mode)}.` },
  check_apn_settings: {
    kind: 'read',
    run: ({ device }) =>
      `APN Name: ${device.active_apn_settings.apn_name}\nMMSC URL: ${device.active_apn_settings.mmsc_url ?? 'Not Set'}\n(These are technical settings of your carrier connection.)`,
  },
  check_wifi_status: {
    kind: 'read',
    run: ({ device }) =>
      !device.wifi_enabled
        ? 'Wi-Fi is OFF.'
        : device.wifi_connected
          ? `Wi-Fi is ON and connected to ${device.wifi_ssid ?? 'a network'} (signal: ${device.wifi_signal_strength}).`
          : 'Wi-Fi is ON but not connected to any network.',
  },
  check_wifi_calling_status: { kind: 'read', run: ({ device }) => `Wi-Fi Calling is ${onOff(device.wifi_calling_enabled)}.` },
  check_vpn_status: {
    kind: 'read',
    run: ({ device }) => {
      if (device.vpn_connected && device.vpn_details) {
        const vpn = device.vpn_details;
        return `VPN is ON and connected. Server: ${vpn.server_address}, protocol: ${vpn.protocol}, performance: ${vpn.server_performance}.`;
      }
      return device.vpn_enabled_setting ? 'VPN is enabled in settings but not connected.' : 'VPN is OFF.';
    },
  },
  check_installed_apps: { kind: 'read', run: ({ device }) => `Installed apps: ${Object.keys(device.app_statuses).join(', ')}` },
  check_app_status: {
    kind: 'read',
    run: ({ device }, args) => {
      const app = device.app_statuses[String(args.app_name ?? '')];
      if (!app) return `App '${String(args.app_name ?? '')}' not found.`;
      const granted = grantedList(app.permissions);
      return `App: ${app.app_name}\nPermissions granted: ${granted.length > 0 ? granted.join(', ') : 'none granted'}`;
    },
  },
  check_app_permissions: {
    kind: 'read',
    run: ({ device }, args) => {
      const app = device.app_statuses[String(args.app_name ?? '')];
      if (!app) return `App '${String(args.app_name ?? '')}' not found.`;
      const granted = grantedList(app.permissions);
      return granted.length > 0 ? `The ${app.app_name} app has these permissions: ${granted.join(', ')}.` : `The ${app.app_name} app has no permissions.`;
    },
  },
  run_speed_test: { kind: 'read', run: runSpeedTest },
  can_send_mms: {
    kind: 'read',
    run: ({ device, surroundings }) =>
      canSendMms(device, surroundings) ? 'Your messaging app can send MMS messages.' : 'Your messaging app cannot send MMS messages.',
  },
  check_payment_request: {
    kind: 'read',
    run: ({ surroundings }) => {
      const request = surroundings.payment_request;
      return request === null
        ? 'You have no payment request.'
        : `You have a payment request for bill ${request.bill_id}: amount due $${request.amount_due.toFixed(2)}${request.paid ? ' (paid)' : ''}.`;
    },
  },
  toggle_airplane_mode: { kind: 'write', run: toggleAirplaneMode },
  reseat_sim_card: {
    kind: 'write',
    run: (phone) => {
      phone.device.sim_card_missing = false;
      search(phone);
      return `SIM card re-seated.\n${statusBar(phone.device)}`;
    },
  },
  toggle_data: {
    kind: 'write',
    run: (phone) => {
      phone.device.data_enabled = !phone.device.data_enabled;
      search(phone);
      return `Mobile data is now ${onOff(phone.device.data_enabled)}.\n${statusBar(phone.device)}`;
    },
  },
  toggle_roaming: {
    kind: 'write',
    run: (phone) => {
      phone.device.roaming_enabled = !phone.device.roaming_enabled;
      search(phone);
      return `Data roaming is now ${onOff(phone.device.roaming_enabled)}.\n${statusBar(phone.device)}`;
    },
  },
  toggle_data_saver_mode: {
    kind: 'write',
    run: ({ device }) => {
      device.data_saver_mode = !device.data_saver_mode;
      return `Data Saver mode is now ${onOff(device.data_saver_mode)}.\n${statusBar(device)}`;
    },
  },
  set_network_mode_preference: { kind: 'write', run: (phone, args) => setNetworkModePreference(phone, args.mode) },
  set_apn_settings: { kind: 'write', run: (phone, args) => setApnSettings(phone, args.apn_settings) },
  reset_apn_settings: {
    kind: 'write',
    run: (phone) => {
      phone.device.active_apn_settings.reset_at_reboot = true;
      search(phone);
      return `APN settings will be reset to the defaults at the next reboot.\n${statusBar(phone.device)}`;
    },
  },
  reboot_device: {
    kind: 'write',
    run: (phone) => {
      const steps = ['Restarting the phone…'];
      if (phone.device.active_apn_settings.reset_at_reboot) {
        phone.device.active_apn_settings = { ...DEFAULT_APN };
        steps.push('APN settings reset to the defaults.');
      }
      phone.device.network_connection_status = 'searching';
      search(phone);
      steps.push('The phone is back on.', statusBar(phone.device));
      return steps.join('\n');
    },
  },
  toggle_wifi: {
    kind: 'write',
    run: ({ device }) => {
      if (device.airplane_mode) return 'Wi-Fi cannot be changed while Airplane Mode is ON.';
      device.wifi_enabled = !device.wifi_enabled;
      if (!device.wifi_enabled) dropWifi(device);
      return `Wi-Fi is now ${onOff(device.wifi_enabled)}.\n${statusBar(device)}`;
    },
  },
  toggle_wifi_calling: {
    kind: 'write',
    run: ({ device }) => {
      device.wifi_calling_enabled = !device.wifi_calling_enabled;
      return `Wi-Fi Calling is now ${onOff(device.wifi_calling_enabled)}.`;
    },
  },
  connect_vpn: { kind: 'write', run: connectVpn },
  disconnect_vpn: {
    kind: 'write',
    run: ({ device }) => {
      if (!device.vpn_connected) return 'No VPN is connected: nothing to disconnect.';
      device.vpn_connected = false;
      device.vpn_details = null;
      return `VPN disconnected.\n${statusBar(device)}`;
    },
  },
  grant_app_permission: { kind: 'write', run: grantPermission },
  make_payment: {
    kind: 'write',
    run: ({ surroundings }) => {
      const request = surroundings.payment_request;
      if (request === null) return 'You have no payment request to pay.';
      request.paid = true;
      return `Payment of $${request.amount_due.toFixed(2)} for bill ${request.bill_id} made.`;
    },
  },
};
