import type { Device, NetworkTechnology, SignalStrength, SimStatus, Surroundings } from './types.js';

/**
 * The derived quantities of the phone (MODEL §3): pure functions of the device and its
 * surroundings, except {@link networkSearch}, the only writer of the connection status,
 * technology and signal.
 */

/** MODEL §3.1. */
export function effectiveSimStatus(device: Device): SimStatus {
  return device.sim_card_missing ? 'missing' : device.sim_card_status;
}

/** MODEL §3.2: recomputes status, technology and signal (later rules override earlier ones). */
export function networkSearch(device: Device, surroundings: Surroundings): void {
  const signalOf = (technology: Exclude<NetworkTechnology, 'none'>): SignalStrength => surroundings.signal_strength[technology] ?? 'none';
  if (effectiveSimStatus(device) === 'active') {
    let technology: Exclude<NetworkTechnology, 'none'>;
    switch (device.network_mode_preference) {
      case '4g_5g_preferred':
        technology = signalOf('5G') === 'none' ? '4G' : '5G';
        break;
      case '4g_only':
        technology = '4G';
        break;
      case '3g_only':
        technology = '3G';
        break;
      case '2g_only':
        technology = '2G';
        break;
    }
    device.network_connection_status = 'connected';
    device.network_technology_connected = technology;
    device.network_signal_strength = signalOf(technology);
  } else {
    noService(device);
  }
  if (device.airplane_mode || device.active_apn_settings.apn_name === 'broken' || !surroundings.line_active) noService(device);
}

function noService(device: Device): void {
  device.network_connection_status = 'no_service';
  device.network_technology_connected = 'none';
  device.network_signal_strength = 'none';
}

const SIGNAL_SEGMENT: Record<SignalStrength, string> = {
  none: '📵 No Signal',
  poor: '📶¹ Poor',
  fair: '📶² Fair',
  good: '📶³ Good',
  excellent: '📶⁴ Excellent',
};

/** MODEL §3.3: the status bar text, e.g. `Status Bar: 📶³ Good | 5G | 📱 Data Enabled | 🔋 80%`. */
export function statusBar(device: Device): string {
  const segments: string[] = [];
  if (device.airplane_mode) {
    segments.push('✈️ Airplane Mode');
  } else {
    segments.push(SIGNAL_SEGMENT[device.network_signal_strength]);
    if (device.network_technology_connected !== 'none') segments.push(device.network_technology_connected);
    if (device.data_enabled && device.network_technology_connected !== 'none') {
      segments.push('📱 Data Enabled');
      if (device.data_saver_mode) segments.push('🔽 Data Saver');
    } else {
      segments.push('📵 Data Disabled');
    }
  }
  if (device.wifi_enabled && device.wifi_connected) segments.push(device.wifi_ssid === null ? '📡 Enabled' : `📡 Connected to ${device.wifi_ssid}`);
  if (device.vpn_connected) segments.push('🔒 VPN Connected');
  segments.push(`🔋 ${device.battery_level}%`);
  return `Status Bar: ${segments.join(' | ')}`;
}

/** MODEL §3.4. */
export function mobileDataWorking(device: Device, surroundings: Surroundings): boolean {
  if (device.airplane_mode || device.network_signal_strength === 'none' || device.network_connection_status === 'no_service') return false;
  if (surroundings.is_abroad && !(device.roaming_enabled && surroundings.roaming_allowed)) return false;
  return device.data_enabled && !surroundings.mobile_data_usage_exceeded;
}

/** A speed test result: Mbps (null without a connection) and its description. */
export interface SpeedTest {
  mbps: number | null;
  description: 'No Connection' | 'Very Poor' | 'Poor' | 'Fair' | 'Good' | 'Excellent';
}

const TECHNOLOGY_RANGE: Record<NetworkTechnology, readonly [number, number]> = {
  none: [0, 0],
  '2G': [0.1, 0.4],
  '3G': [1, 5],
  '4G': [10, 100],
  '5G': [50, 500],
};
const SIGNAL_FACTOR: Record<SignalStrength, number> = { none: 0, poor: 0.2, fair: 0.5, good: 0.8, excellent: 1.0 };

/** MODEL §3.5 (factors evaluated left to right, rounded like Python's `round(x, 2)`). */
export function speedTest(device: Device, surroundings: Surroundings): SpeedTest {
  if (!mobileDataWorking(device, surroundings)) return { mbps: null, description: 'No Connection' };
  let factor = device.vpn_connected && device.vpn_details !== null && device.vpn_details.server_performance === 'poor' ? 0.1 : 1.0;
  if (device.data_saver_mode) factor *= 0.2;
  const [min, max] = TECHNOLOGY_RANGE[device.network_technology_connected];
  const mbps = roundHalfEven2(((min + max) / 2) * SIGNAL_FACTOR[device.network_signal_strength] * factor);
  return { mbps, description: describeSpeed(mbps) };
}

function describeSpeed(mbps: number): SpeedTest['description'] {
  if (mbps < 1) return 'Very Poor';
  if (mbps < 5) return 'Poor';
  if (mbps < 25) return 'Fair';
  if (mbps < 100) return 'Good';
  return 'Excellent';
}

/**
 * Python's `round(x, 2)` for x ≥ 0: the exact binary value rounded, ties to even (MODEL Q11).
 * A tie needs an exact decimal expansion ending in 5 at the third place, so x is a multiple
 * of 1/8 (1000 = 8 × 125); only then can `toFixed` (ties away from zero) differ.
 */
export function roundHalfEven2(value: number): number {
  const rounded = Number(value.toFixed(2));
  if (!Number.isInteger(value * 8)) return rounded;
  const thousandths = value * 1000;
  if (thousandths % 10 !== 5) return rounded;
  const lower = Math.floor(value * 100);
  return (lower % 2 === 0 ? lower : lower + 1) / 100;
}

/** MODEL §3.6. */
export function canSendMms(device: Device, surroundings: Surroundings): boolean {
  if (!mobileDataWorking(device, surroundings)) return false;
  if (device.network_technology_connected === '2G') return false;
  if (device.wifi_calling_enabled && device.wifi_calling_mms_over_wifi) return false;
  if (device.active_apn_settings.mmsc_url === null) return false;
  const messaging = device.app_statuses.messaging;
  return messaging !== undefined && messaging.permissions.sms && messaging.permissions.storage;
}
