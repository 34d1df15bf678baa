import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAssertion, type EnvAssertion } from './assertions.js';
import { runInitialization, ScenarioError, type InitializationAction } from './initialization.js';
import { findTau2Directory } from './load-data.js';
import { mobileDataWorking, speedTest, canSendMms } from './phone-rules.js';
import { Tau2World } from './tau2-world.js';

const user = (func_name: string, args: Record<string, unknown> = {}): InitializationAction => ({ env_type: 'user', func_name, arguments: args });
const assistant = (func_name: string, args: Record<string, unknown> = {}): InitializationAction => ({ env_type: 'assistant', func_name, arguments: args });
const john = user('set_user_info', { name: 'John Smith', phone_number: '555-123-2002' });
const L1002 = { customer_id: 'C1001', line_id: 'L1002' };

function worldAfter(...steps: InitializationAction[]): Tau2World {
  const world = new Tau2World();
  for (const step of steps) runInitialization(world, step);
  return world;
}

const summary = (world: Tau2World) => ({
  status: world.device.network_connection_status,
  technology: world.device.network_technology_connected,
  signal: world.device.network_signal_strength,
  data: mobileDataWorking(world.device, world.surroundings),
  speed: speedTest(world.device, world.surroundings).mbps,
  mms: canSendMms(world.device, world.surroundings),
});

describe('sync (MODEL §3.8)', () => {
  it('does nothing before set_user_info, then copies line state, roaming and quota', () => {
    const world = new Tau2World();
    world.records.line('L1002').status = 'Suspended';
    world.sync();
    expect(world.surroundings.line_active).toBe(true);
    runInitialization(world, john);
    expect(world.surroundings).toMatchObject({ line_active: false, roaming_allowed: true, mobile_data_usage_exceeded: false, payment_request: null });
  });

  it('counts equality as exceeded (used ≥ limit + refuelled)', () => {
    const world = worldAfter(john, assistant('set_data_usage', { ...L1002, data_used_gb: 15 }));
    expect(world.surroundings.mobile_data_usage_exceeded).toBe(true);
    runInitialization(world, assistant('refuel_data', { ...L1002, gb_amount: 0.5 }));
    expect(world.surroundings.mobile_data_usage_exceeded).toBe(false);
  });

  it('creates a payment request from the first awaiting bill, and a paid request pays the bill and is cleared', () => {
    const world = worldAfter(john);
    world.agentTool('send_payment_request', { customer_id: 'C1001', bill_id: 'B1002' });
    expect(world.surroundings.payment_request).toEqual({ bill_id: 'B1002', amount_due: 150, paid: false });
    expect(world.userTool('check_payment_request').output).toContain('B1002');
    world.userTool('make_payment');
    expect(world.records.bill('B1002').status).toBe('Paid');
    expect(world.surroundings.payment_request).toBeNull();
    expect(world.userTool('make_payment').output).toContain('no payment request');
  });

  it('is a scenario error when the phone number has no line', () => {
    expect(() => worldAfter(user('set_user_info', { name: 'X', phone_number: '000' }))).toThrow('no line');
  });
});

describe('user tools (MODEL §4)', () => {
  it('toggle_airplane_mode: on drops Wi-Fi and the VPN and gives no service; off searches again', () => {
    const world = worldAfter(john);
    Object.assign(world.device, { wifi_enabled: true, wifi_connected: true, wifi_ssid: 'Home', wifi_signal_strength: 'good' });
    world.userTool('connect_vpn');
    world.userTool('toggle_airplane_mode');
    expect(world.device).toMatchObject({
      airplane_mode: true,
      wifi_connected: false,
      wifi_ssid: null,
      vpn_connected: false,
      vpn_details: null,
      network_connection_status: 'no_service',
    });
    expect(world.userTool('toggle_wifi').output).toContain('cannot be changed');
    world.userTool('toggle_airplane_mode');
    expect(summary(world)).toMatchObject({ status: 'connected', technology: '5G', signal: 'excellent' });
  });

  it('reset_apn_settings only takes effect at the next reboot', () => {
    const world = worldAfter(john, user('break_apn_settings'));
    world.userTool('reset_apn_settings');
    expect(world.device.active_apn_settings).toMatchObject({ apn_name: 'broken', reset_at_reboot: true });
    expect(world.device.network_connection_status).toBe('no_service');
    const rebooted = world.userTool('reboot_device').output;
    expect(rebooted).toContain('APN settings reset');
    expect(world.device.active_apn_settings).toMatchObject({ apn_name: 'internet', reset_at_reboot: false });
    expect(summary(world)).toMatchObject({ status: 'connected', speed: 275 });
  });

  it('set_network_mode_preference refuses an invalid mode without a change or a search', () => {
    const world = worldAfter(john);
    const answer = world.userTool('set_network_mode_preference', { mode: '6g' });
    expect(answer.output).toContain('4g_5g_preferred, 4g_only, 3g_only, 2g_only');
    expect(world.device).toMatchObject({ network_mode_preference: '4g_5g_preferred', network_signal_strength: 'good' });
    world.userTool('set_network_mode_preference', { mode: '3g_only' });
    expect(summary(world)).toMatchObject({ technology: '3G', speed: 1.5 });
  });

  it('set_apn_settings replaces the APN with defaults for missing fields; unknown fields and bad names are errors', () => {
    const world = worldAfter(john, user('break_apn_mms_setting'));
    expect(world.userTool('set_apn_settings', { apn_settings: { apn_name: 'internet', colour: 'red' } })).toEqual({
      ok: false,
      output: expect.stringContaining('colour'),
    });
    expect(world.userTool('set_apn_settings', { apn_settings: { apn_name: 'fast' } }).ok).toBe(false);
    expect(world.device.active_apn_settings.mmsc_url).toBeNull();
    expect(world.userTool('set_apn_settings', { apn_settings: { apn_name: 'internet' } }).ok).toBe(true);
    expect(world.device.active_apn_settings.mmsc_url).toBe('http://mms.carrier.com/mms/wapenc');
  });

  it('grant_app_permission answers Error. for an unknown app or permission, Success. otherwise (lower-cased)', () => {
    const world = worldAfter(john, user('remove_app_permission', { app_name: 'messaging', permission: 'SMS' }));
    expect(world.device.app_statuses.messaging!.permissions.sms).toBe(false);
    expect(world.userTool('grant_app_permission', { app_name: 'camera', permission: 'sms' }).output).toMatch(/^Error\./);
    expect(world.userTool('grant_app_permission', { app_name: 'messaging', permission: 'location' }).output).toMatch(/^Error\./);
    expect(world.userTool('grant_app_permission', { app_name: 'messaging', permission: 'Sms' }).output).toMatch(/^Success\./);
    expect(world.userTool('check_app_permissions', { app_name: 'messaging' }).output).toBe('The messaging app has these permissions: sms, storage, phone.');
  });

  it('Wi-Fi calling toggles only its own flag; VPN connect and disconnect report when there is nothing to do', () => {
    const world = worldAfter(john, user('set_wifi_calling', { enabled: true, mms_over_wifi: true }));
    world.userTool('toggle_wifi_calling');
    expect(world.device).toMatchObject({ wifi_calling_enabled: false, wifi_calling_mms_over_wifi: true });
    expect(world.userTool('disconnect_vpn').output).toContain('nothing to disconnect');
    world.userTool('connect_vpn');
    expect(world.userTool('connect_vpn').output).toBe('VPN is already connected.');
  });

  it('break_vpn installs a poor VPN, and a later connect gets a fresh excellent one (Q1)', () => {
    const world = worldAfter(john, user('break_vpn'));
    expect(world.device.vpn_details?.server_performance).toBe('poor');
    expect(speedTest(world.device, world.surroundings)).toEqual({ mbps: 22, description: 'Fair' });
    world.userTool('disconnect_vpn');
    world.userTool('connect_vpn');
    expect(world.device.vpn_details?.server_performance).toBe('excellent');
  });

  it('reports the network status, SIM status, APN and payment requests in words', () => {
    const world = worldAfter(john, user('unseat_sim_card'));
    expect(world.userTool('check_network_status').output).toContain('SIM Card Status: missing');
    expect(world.userTool('check_sim_status').output).toBe('No SIM card detected in the phone.');
    runInitialization(world, user('break_apn_mms_setting'));
    expect(world.userTool('check_apn_settings').output).toContain('MMSC URL: Not Set');
    expect(world.userTool('check_payment_request').output).toBe('You have no payment request.');
    expect(world.userTool('fly_away')).toEqual({ ok: false, output: 'Error: unknown tool fly_away' });
  });
});

describe('agent tools (MODEL §5)', () => {
  it('finds customers by primary phone or line phone, by id and by name with date of birth', () => {
    const world = worldAfter(john);
    expect(world.agentTool('get_customer_by_phone', { phone_number: '555-123-2004' })).toMatchObject({ customer_id: 'C1002' });
    expect(world.agentTool('get_customer_by_phone', { phone_number: '(555) 123-2002' })).toMatchObject({ customer_id: 'C1001' });
    expect(() => world.agentTool('get_customer_by_phone', { phone_number: '555-000-0000' })).toThrow('not found');
    expect(world.agentTool('get_customer_by_name', { full_name: 'john smith', dob: '1985-06-15' })).toEqual([
      expect.objectContaining({ customer_id: 'C1001' }),
    ]);
    expect(world.agentTool('get_customer_by_name', { full_name: 'John Smith', dob: '1985-06-16' })).toEqual([]);
    expect(() => world.agentTool('get_details_by_id', { id: 'X1' })).toThrow('Unknown ID');
    expect(world.agentTool('get_bills_for_customer', { customer_id: 'C1001' })).toEqual([
      expect.objectContaining({ bill_id: 'B1003' }),
      expect.objectContaining({ bill_id: 'B1002' }),
      expect.objectContaining({ bill_id: 'B1001' }),
    ]);
    expect(world.agentTool('get_data_usage', L1002)).toEqual({
      line_id: 'L1002',
      data_used_gb: 8.7,
      data_limit_gb: 15,
      data_refueling_gb: 0,
      cycle_end_date: '2025-02-28',
    });
  });

  it('refuel_data charges amount × plan price on the first Draft bill (2 GB on L1002: $4.00 on B1003)', () => {
    const world = worldAfter(john);
    expect(world.agentTool('refuel_data', { ...L1002, gb_amount: 2 })).toMatchObject({ new_data_refueling_gb: 2, charge: 4 });
    expect(world.records.bill('B1003')).toMatchObject({
      total_due: 4,
      line_items: [expect.objectContaining({ amount: 4, item_type: 'Charge', date: '2025-02-25' })],
    });
    expect(() => world.agentTool('refuel_data', { ...L1002, gb_amount: 0 })).toThrow('greater than 0');
    expect(() => world.agentTool('refuel_data', { customer_id: 'C1002', line_id: 'L1002', gb_amount: 1 })).toThrow('does not belong');
  });

  it('refuel_data creates a Draft bill when the customer has none', () => {
    const world = worldAfter(user('set_user_info', { name: 'Sarah Johnson', phone_number: '555-123-2004' }));
    world.agentTool('refuel_data', { customer_id: 'C1002', line_id: 'L1004', gb_amount: 1 });
    const created = world.records.customer('C1002').bill_ids.at(-1)!;
    expect(created).toMatch(/^B[0-9A-F]{8}$/);
    expect(world.records.bill(created)).toMatchObject({ status: 'Draft', total_due: 0.1, period_start: '2025-03-01' });
  });

  it('send_payment_request refuses a second awaiting bill and a bill of another customer; resume_line needs a suspended line', () => {
    const world = worldAfter(john);
    expect(() => world.agentTool('send_payment_request', { customer_id: 'C1001', bill_id: 'B1005' })).toThrow('not found for customer');
    world.agentTool('send_payment_request', { customer_id: 'C1001', bill_id: 'B1002' });
    expect(() => world.agentTool('send_payment_request', { customer_id: 'C1001', bill_id: 'B1001' })).toThrow('already awaiting');
    expect(() => world.agentTool('resume_line', L1002)).toThrow('only a suspended');
    expect(world.agentTool('resume_line', { customer_id: 'C1001', line_id: 'L1003' })).toMatchObject({
      line: { status: 'Active', suspension_start_date: null },
    });
  });

  it('enable_roaming and disable_roaming are idempotent and say so', () => {
    const world = worldAfter(john);
    expect(world.agentTool('enable_roaming', L1002)).toContain('already enabled');
    expect(world.agentTool('disable_roaming', L1002)).toContain('disabled successfully');
    expect(world.surroundings.roaming_allowed).toBe(false);
  });

  it('logs every action with its side, in order, and a refused one as not ok', () => {
    const world = worldAfter(john);
    world.userTool('check_status_bar');
    world.agentTool('enable_roaming', L1002);
    expect(() => world.agentTool('resume_line', L1002)).toThrow();
    world.agentTool('transfer_to_human_agents', { summary: 'help' });
    expect(world.actions()).toEqual([
      { requestor: 'user', name: 'check_status_bar', arguments: {}, ok: true },
      { requestor: 'assistant', name: 'enable_roaming', arguments: L1002, ok: true },
      { requestor: 'assistant', name: 'resume_line', arguments: L1002, ok: false },
      { requestor: 'assistant', name: 'transfer_to_human_agents', arguments: { summary: 'help' }, ok: true },
    ]);
  });
});

describe('idempotency keys and undo', () => {
  it('E5 a repeated key returns the recorded output without acting twice', () => {
    const world = worldAfter(john);
    const first = world.agentTool('refuel_data', { ...L1002, gb_amount: 1 }, 'k-1');
    expect(world.agentTool('refuel_data', { ...L1002, gb_amount: 1 }, 'k-1')).toEqual(first);
    expect(world.records.line('L1002').data_refueling_gb).toBe(1);
    expect(world.actions()).toHaveLength(1);
  });

  it('E3 undo restores exactly what the call changed, once, and marks the action undone', () => {
    const world = worldAfter(john, assistant('suspend_line_for_overdue_bill', { ...L1002, new_bill_id: 'B9', contract_ended: false }));
    world.agentTool('send_payment_request', { customer_id: 'C1001', bill_id: 'B9' }, 'pay');
    world.agentTool('refuel_data', { ...L1002, gb_amount: 2 }, 'fuel');
    world.agentTool('resume_line', L1002, 'resume');
    expect(world.undoAgentTool('resume_line', 'resume')).toBe(true);
    expect(world.undoAgentTool('resume_line', 'resume')).toBe(false);
    expect(world.undoAgentTool('refuel_data', 'fuel')).toBe(true);
    expect(world.undoAgentTool('send_payment_request', 'pay')).toBe(true);
    expect(world.records.line('L1002')).toMatchObject({ status: 'Suspended', suspension_start_date: '2025-02-25', data_refueling_gb: 0 });
    expect(world.records.bill('B1003')).toMatchObject({ total_due: 0, line_items: [] });
    expect(world.records.bill('B9').status).toBe('Overdue');
    expect(world.surroundings).toMatchObject({ payment_request: null, line_active: false });
    expect(world.actions().map((action) => action.undone)).toEqual([true, true, true]);
  });

  it('E4 a key undone before it took effect can no longer take effect', () => {
    const world = worldAfter(john);
    expect(world.undoAgentTool('refuel_data', 'late')).toBe(false);
    expect(() => world.agentTool('refuel_data', { ...L1002, gb_amount: 2 }, 'late')).toThrow('cancelled');
    expect(world.records.line('L1002').data_refueling_gb).toBe(0);
  });

  it('removes a Draft bill it created when the refuel is undone', () => {
    const world = worldAfter(user('set_user_info', { name: 'Sarah Johnson', phone_number: '555-123-2004' }));
    world.agentTool('refuel_data', { customer_id: 'C1002', line_id: 'L1004', gb_amount: 1 }, 'k');
    world.undoAgentTool('refuel_data', 'k');
    expect(world.records.customer('C1002').bill_ids).toEqual(['B1004', 'B1005']);
    expect(world.records.data.bills).toHaveLength(6);
  });

  it('keeps its memory bounded: the log and the keys keep their latest entries', () => {
    const world = new Tau2World({ maxActions: 50, maxRememberedKeys: 20 });
    runInitialization(world, john);
    for (let index = 0; index < 500; index += 1) {
      world.agentTool('enable_roaming', L1002, `on-${index}`);
      world.agentTool('disable_roaming', L1002, `off-${index}`);
      world.userTool('check_status_bar');
    }
    expect(world.actions()).toHaveLength(50);
    expect(world.dropped).toBe(1_450);
    expect(world.rememberedKeys).toBe(20);
  });
});

describe('set-up and assertion functions (MODEL §6, §7)', () => {
  it('turn_roaming_off searches even when roaming is already off (the signal becomes excellent, Q2)', () => {
    const world = worldAfter(john, user('turn_roaming_off'));
    expect(world.device).toMatchObject({ roaming_enabled: false, network_signal_strength: 'excellent' });
    const other = worldAfter(john, user('turn_data_off'), user('turn_data_on'));
    expect(other.device).toMatchObject({ data_enabled: true, network_signal_strength: 'excellent' });
  });

  it('suspend_line_for_overdue_bill creates the overdue bill of last month and suspends the line; contract_ended moves the contract end', () => {
    const world = worldAfter(john, assistant('suspend_line_for_overdue_bill', { ...L1002, new_bill_id: 'B1234321', contract_ended: true }));
    expect(world.records.bill('B1234321')).toMatchObject({
      status: 'Overdue',
      total_due: 65,
      period_start: '2025-01-01',
      period_end: '2025-01-31',
      issue_date: '2025-01-01',
      due_date: '2025-01-15',
    });
    expect(world.records.line('L1002')).toMatchObject({ status: 'Suspended', suspension_start_date: '2025-02-25', contract_end_date: '2025-01-31' });
    expect(world.device.network_connection_status).toBe('connected');
    expect(() =>
      runInitialization(
        world,
        assistant('suspend_line_for_overdue_bill', { customer_id: 'C1001', line_id: 'L1001', new_bill_id: 'B2', contract_ended: false }),
      ),
    ).toThrow(ScenarioError);
  });

  it('refuses unknown set-up and assertion functions', () => {
    expect(() => worldAfter(user('summon_signal'))).toThrow('unknown user initialization function summon_signal');
    expect(() => runAssertion(new Tau2World(), { env_type: 'user', func_name: 'assert_happiness', arguments: {} })).toThrow('unknown user assertion');
  });

  it('assert_internet_speed: without a description only the speed counts; "No Connection" matches the no-data case', () => {
    const world = worldAfter(john, user('turn_data_off'));
    const check = (args: Record<string, unknown>) => runAssertion(world, { env_type: 'user', func_name: 'assert_internet_speed', arguments: args });
    expect(check({ expected_speed: 0, expected_desc: null })).toBe(true);
    expect(check({ expected_speed: 0, expected_desc: 'no connection' })).toBe(true);
    expect(check({ expected_speed: 200, expected_desc: 'excellent' })).toBe(false);
    expect(runAssertion(world, { env_type: 'user', func_name: 'assert_internet_not_excellent', arguments: {} })).toBe(true);
    expect(runAssertion(world, { env_type: 'assistant', func_name: 'assert_no_overdue_bill', arguments: { overdue_bill_id: 'B1234321' } })).toBe(true);
    expect(() =>
      runAssertion(world, { env_type: 'assistant', func_name: 'assert_overdue_bill_exists', arguments: { customer_id: 'C1001', overdue_bill_id: 'B1001' } }),
    ).toThrow(ScenarioError);
  });
});

describe('worked traces (MODEL §9) and the dev tasks at a glance (§10)', () => {
  it('§9.1 roaming abroad: no data until the phone switch is on; then 275 Mbps', () => {
    const world = worldAfter(john, user('set_user_location', { abroad: true }));
    expect(summary(world)).toMatchObject({ data: false, speed: null, signal: 'good' });
    runInitialization(world, user('turn_roaming_off'));
    expect(summary(world)).toMatchObject({ signal: 'excellent', data: false });
    runInitialization(world, assistant('enable_roaming', L1002));
    world.userTool('toggle_roaming');
    expect(summary(world)).toMatchObject({ data: true, speed: 275 });
  });

  it('§9.2 overdue bill: pay, resume, and only a reboot brings service back', () => {
    const world = worldAfter(
      john,
      assistant('suspend_line_for_overdue_bill', { ...L1002, new_bill_id: 'B1234321', contract_ended: false }),
      user('simulate_network_search'),
    );
    expect(summary(world)).toMatchObject({ status: 'no_service', data: false, mms: false });
    world.agentTool('send_payment_request', { customer_id: 'C1001', bill_id: 'B1234321' });
    expect(world.surroundings.payment_request).toEqual({ bill_id: 'B1234321', amount_due: 65, paid: false });
    world.userTool('make_payment');
    expect(world.records.bill('B1234321').status).toBe('Paid');
    world.agentTool('resume_line', L1002);
    expect(world.surroundings.line_active).toBe(true);
    expect(summary(world).status).toBe('no_service');
    world.userTool('reboot_device');
    expect(summary(world)).toMatchObject({ status: 'connected', technology: '5G', signal: 'excellent', speed: 275, mms: true });
  });

  it('§9.3 a missing SMS permission stops MMS; granting it brings MMS back without a search (220 Mbps)', () => {
    const world = worldAfter(john, user('remove_app_permission', { app_name: 'messaging', permission: 'sms' }));
    expect(summary(world).mms).toBe(false);
    world.userTool('grant_app_permission', { app_name: 'messaging', permission: 'sms' });
    expect(summary(world)).toMatchObject({ mms: true, speed: 220, signal: 'good' });
  });

  interface DevTask {
    id: string;
    initial_state: { initialization_actions: InitializationAction[] };
    evaluation_criteria: { actions: { requestor: string; name: string; arguments: Record<string, unknown> }[]; env_assertions: EnvAssertion[] };
  }
  const tasks = JSON.parse(readFileSync(join(findTau2Directory(), 'tasks-dev.json'), 'utf8')) as DevTask[];
  it.each(tasks.map((task) => [task.id, task] as const))('§10 %s: the set-up breaks it, the reference fix passes every assertion', (_id, task) => {
    const world = new Tau2World();
    for (const step of task.initial_state.initialization_actions) runInitialization(world, step);
    const checks = task.evaluation_criteria.env_assertions;
    const before = checks.map((check) => runAssertion(world, check) === (check.assert_value ?? true));
    expect(before.every(Boolean)).toBe(false);
    for (const action of task.evaluation_criteria.actions) {
      if (action.requestor === 'user') expect(world.userTool(action.name, action.arguments).ok).toBe(true);
      else world.agentTool(action.name, action.arguments);
    }
    world.sync();
    expect(checks.map((check) => runAssertion(world, check) === (check.assert_value ?? true))).toEqual(checks.map(() => true));
  });
});
