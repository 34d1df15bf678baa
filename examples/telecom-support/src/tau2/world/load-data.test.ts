import { describe, expect, it } from 'vitest';
import { loadTau2Data } from './load-data.js';

describe('τ² data (db.toml, user_db.toml)', () => {
  it('loads the records MODEL §2.4 lists: 5 plans, 4 customers, 9 lines, 6 bills, 9 devices', () => {
    const { carrier } = loadTau2Data();
    expect([carrier.plans.length, carrier.customers.length, carrier.lines.length, carrier.bills.length, carrier.devices.length]).toEqual([5, 4, 9, 6, 9]);
    const john = carrier.customers.find((customer) => customer.customer_id === 'C1001')!;
    expect(john).toMatchObject({
      full_name: 'John Smith',
      phone_number: '555-123-2002',
      date_of_birth: '1985-06-15',
      account_status: 'Active',
      line_ids: ['L1001', 'L1002', 'L1003'],
      bill_ids: ['B1001', 'B1002', 'B1003'],
    });
    expect(carrier.lines.find((line) => line.line_id === 'L1002')).toMatchObject({
      phone_number: '555-123-2002',
      status: 'Active',
      plan_id: 'P1002',
      data_used_gb: 8.7,
      data_refueling_gb: 0,
      roaming_enabled: true,
      suspension_start_date: null,
    });
    expect(carrier.plans.find((plan) => plan.plan_id === 'P1002')).toEqual({
      plan_id: 'P1002',
      name: 'Premium Plan',
      data_limit_gb: 15,
      price_per_month: 65,
      data_refueling_price_per_gb: 2,
    });
    expect(carrier.bills.find((bill) => bill.bill_id === 'B1003')).toMatchObject({ status: 'Draft', total_due: 0, line_items: [] });
    expect(carrier.customers.find((customer) => customer.customer_id === 'C1004')).toMatchObject({
      line_ids: [],
      payment_methods: [],
      last_extension_date: null,
    });
  });

  it('gives the phone its default state (user_db.toml equals the model defaults)', () => {
    const { device } = loadTau2Data();
    expect(device).toMatchObject({
      sim_card_status: 'active',
      sim_card_missing: false,
      airplane_mode: false,
      network_signal_strength: 'good',
      network_technology_connected: '5G',
      network_connection_status: 'connected',
      battery_level: 80,
      data_enabled: true,
      roaming_enabled: false,
      network_mode_preference: '4g_5g_preferred',
      wifi_ssid: null,
      vpn_details: null,
      active_apn_settings: {
        apn_name: 'internet',
        reset_at_reboot: false,
        mms_apn: 'mms',
        mmsc_url: 'http://mms.carrier.com/mms/wapenc',
        mms_proxy: null,
        mms_port: null,
      },
    });
    expect(device.app_statuses).toEqual({
      messaging: { app_name: 'messaging', permissions: { sms: true, storage: true, phone: true, network: false } },
      browser: { app_name: 'browser', permissions: { sms: false, storage: true, phone: false, network: true } },
    });
  });

  it('hands every caller its own copy', () => {
    const first = loadTau2Data();
    first.device.airplane_mode = true;
    first.carrier.lines[0]!.status = 'Closed';
    const second = loadTau2Data();
    expect(second.device.airplane_mode).toBe(false);
    expect(second.carrier.lines[0]!.status).toBe('Active');
  });

  it('refuses a folder without the data', () => {
    expect(() => loadTau2Data('/nonexistent-folder')).toThrow('no db.toml');
  });
});
