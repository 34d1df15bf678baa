import { describe, expect, it } from 'vitest';
import { loadTau2Data } from './load-data.js';
import { canSendMms, mobileDataWorking, networkSearch, roundHalfEven2, speedTest, statusBar } from './phone-rules.js';
import type { Device, SignalStrength, Surroundings } from './types.js';

function phone(): { device: Device; surroundings: Surroundings } {
  return {
    device: loadTau2Data().device,
    surroundings: {
      name: 'John Smith',
      phone_number: '555-123-2002',
      is_abroad: false,
      roaming_allowed: true,
      signal_strength: { '2G': 'poor', '3G': 'fair', '4G': 'good', '5G': 'excellent' },
      mobile_data_usage_exceeded: false,
      line_active: true,
      payment_request: null,
    },
  };
}

describe('§3.2 network search', () => {
  it.each([
    ['4g_5g_preferred', '5G', 'excellent'],
    ['4g_only', '4G', 'good'],
    ['3g_only', '3G', 'fair'],
    ['2g_only', '2G', 'poor'],
  ] as const)('%s connects to %s with %s signal', (preference, technology, signal) => {
    const { device, surroundings } = phone();
    device.network_mode_preference = preference;
    networkSearch(device, surroundings);
    expect([device.network_connection_status, device.network_technology_connected, device.network_signal_strength]).toEqual(['connected', technology, signal]);
  });

  it('falls back to 4G when the 5G signal is none', () => {
    const { device, surroundings } = phone();
    surroundings.signal_strength['5G'] = 'none';
    networkSearch(device, surroundings);
    expect(device.network_technology_connected).toBe('4G');
  });

  it.each([
    ['a missing SIM', (device: Device) => void (device.sim_card_missing = true)],
    ['a PIN-locked SIM', (device: Device) => void (device.sim_card_status = 'locked_pin')],
    ['a PUK-locked SIM', (device: Device) => void (device.sim_card_status = 'locked_puk')],
    ['airplane mode', (device: Device) => void (device.airplane_mode = true)],
    ['a broken APN', (device: Device) => void (device.active_apn_settings.apn_name = 'broken')],
  ])('gives no service with %s', (_label, breakIt) => {
    const { device, surroundings } = phone();
    breakIt(device);
    networkSearch(device, surroundings);
    expect([device.network_connection_status, device.network_technology_connected, device.network_signal_strength]).toEqual(['no_service', 'none', 'none']);
  });

  it('gives no service on an inactive line, and ignores data, roaming, quota, VPN and data saver', () => {
    const { device, surroundings } = phone();
    Object.assign(device, { data_enabled: false, roaming_enabled: false, data_saver_mode: true, vpn_connected: true });
    surroundings.mobile_data_usage_exceeded = true;
    networkSearch(device, surroundings);
    expect(device.network_connection_status).toBe('connected');
    surroundings.line_active = false;
    networkSearch(device, surroundings);
    expect(device.network_connection_status).toBe('no_service');
  });
});

describe('§3.3 status bar', () => {
  it('shows the initial phone as in MODEL', () => {
    expect(statusBar(phone().device)).toBe('Status Bar: 📶³ Good | 5G | 📱 Data Enabled | 🔋 80%');
  });

  it('shows only airplane mode (and battery) in airplane mode', () => {
    const { device } = phone();
    device.airplane_mode = true;
    device.vpn_connected = true;
    expect(statusBar(device)).toBe('Status Bar: ✈️ Airplane Mode | 🔒 VPN Connected | 🔋 80%');
  });

  it('shows Data Disabled without service even with the switch on, and data saver, Wi-Fi and VPN segments', () => {
    const { device, surroundings } = phone();
    device.sim_card_missing = true;
    networkSearch(device, surroundings);
    expect(statusBar(device)).toBe('Status Bar: 📵 No Signal | 📵 Data Disabled | 🔋 80%');
    const other = phone().device;
    Object.assign(other, { data_saver_mode: true, wifi_enabled: true, wifi_connected: true, wifi_ssid: 'Home', vpn_connected: true });
    expect(statusBar(other)).toBe('Status Bar: 📶³ Good | 5G | 📱 Data Enabled | 🔽 Data Saver | 📡 Connected to Home | 🔒 VPN Connected | 🔋 80%');
  });
});

describe('§3.4 mobile data and §3.5 speed', () => {
  it('needs roaming on both sides only when abroad', () => {
    const { device, surroundings } = phone();
    surroundings.is_abroad = true;
    expect(mobileDataWorking(device, surroundings)).toBe(false);
    device.roaming_enabled = true;
    expect(mobileDataWorking(device, surroundings)).toBe(true);
    surroundings.roaming_allowed = false;
    expect(mobileDataWorking(device, surroundings)).toBe(false);
    surroundings.is_abroad = false;
    expect(mobileDataWorking(device, surroundings)).toBe(true);
  });

  it('stops with the data switch off or the quota used up', () => {
    const { device, surroundings } = phone();
    device.data_enabled = false;
    expect(speedTest(device, surroundings)).toEqual({ mbps: null, description: 'No Connection' });
    device.data_enabled = true;
    surroundings.mobile_data_usage_exceeded = true;
    expect(mobileDataWorking(device, surroundings)).toBe(false);
  });

  const table: [string, Partial<Device>, SignalStrength[], [number, string][]][] = [
    [
      '5G',
      {},
      ['poor', 'fair', 'good', 'excellent'],
      [
        [55, 'Good'],
        [137.5, 'Excellent'],
        [220, 'Excellent'],
        [275, 'Excellent'],
      ],
    ],
    [
      '5G + data saver',
      { data_saver_mode: true },
      ['poor', 'fair', 'good', 'excellent'],
      [
        [11, 'Fair'],
        [27.5, 'Good'],
        [44, 'Good'],
        [55, 'Good'],
      ],
    ],
    [
      '5G + poor VPN',
      { vpn_connected: true, vpn_details: { server_address: '192.168.1.1', protocol: 'OpenVPN', server_performance: 'poor' } },
      ['poor', 'fair', 'good', 'excellent'],
      [
        [5.5, 'Fair'],
        [13.75, 'Fair'],
        [22, 'Fair'],
        [27.5, 'Good'],
      ],
    ],
    [
      '5G + both',
      { data_saver_mode: true, vpn_connected: true, vpn_details: { server_address: '192.168.1.1', protocol: 'OpenVPN', server_performance: 'poor' } },
      ['poor', 'fair', 'good', 'excellent'],
      [
        [1.1, 'Poor'],
        [2.75, 'Poor'],
        [4.4, 'Poor'],
        [5.5, 'Fair'],
      ],
    ],
    [
      '4G',
      { network_technology_connected: '4G' },
      ['poor', 'fair', 'good', 'excellent'],
      [
        [11, 'Fair'],
        [27.5, 'Good'],
        [44, 'Good'],
        [55, 'Good'],
      ],
    ],
    [
      '3G',
      { network_technology_connected: '3G' },
      ['poor', 'fair', 'good', 'excellent'],
      [
        [0.6, 'Very Poor'],
        [1.5, 'Poor'],
        [2.4, 'Poor'],
        [3, 'Poor'],
      ],
    ],
    [
      '2G',
      { network_technology_connected: '2G' },
      ['poor', 'fair', 'good', 'excellent'],
      [
        [0.05, 'Very Poor'],
        [0.12, 'Very Poor'],
        [0.2, 'Very Poor'],
        [0.25, 'Very Poor'],
      ],
    ],
  ];
  it.each(table)('reproduces the reachable values of %s', (_label, settings, signals, expected) => {
    signals.forEach((signal, index) => {
      const { device, surroundings } = phone();
      Object.assign(device, settings, { network_signal_strength: signal });
      const [mbps, description] = expected[index]!;
      expect(speedTest(device, surroundings)).toEqual({ mbps, description });
    });
  });

  it('rounds like Python: ties to even on the exact binary value (0.125 → 0.12), else as usual', () => {
    expect(roundHalfEven2(0.125)).toBe(0.12);
    expect(roundHalfEven2(0.375)).toBe(0.38);
    expect(roundHalfEven2(2.675)).toBe(2.67);
    expect(roundHalfEven2(13.75)).toBe(13.75);
    expect(roundHalfEven2(1.005)).toBe(1);
  });
});

describe('§3.6 MMS', () => {
  it('works on the initial phone and fails on each broken condition', () => {
    const broken: ((device: Device) => void)[] = [
      (device) => void (device.data_enabled = false),
      (device) => void (device.network_technology_connected = '2G'),
      (device) => Object.assign(device, { wifi_calling_enabled: true, wifi_calling_mms_over_wifi: true }),
      (device) => void (device.active_apn_settings.mmsc_url = null),
      (device) => void (device.app_statuses.messaging!.permissions.sms = false),
      (device) => void (device.app_statuses.messaging!.permissions.storage = false),
      (device) => void delete device.app_statuses.messaging,
    ];
    expect(canSendMms(phone().device, phone().surroundings)).toBe(true);
    for (const breakIt of broken) {
      const { device, surroundings } = phone();
      breakIt(device);
      expect(canSendMms(device, surroundings)).toBe(false);
    }
  });

  it('is fine with 3G, one of the two Wi-Fi calling flags, and an empty MMSC URL (Q7)', () => {
    const { device, surroundings } = phone();
    Object.assign(device, { network_technology_connected: '3G', wifi_calling_enabled: true, wifi_calling_mms_over_wifi: false });
    device.active_apn_settings.mmsc_url = '';
    expect(canSendMms(device, surroundings)).toBe(true);
  });
});
