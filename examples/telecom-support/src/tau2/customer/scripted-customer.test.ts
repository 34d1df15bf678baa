import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTasks } from '../task.js';
import { runInitialization } from '../world/initialization.js';
import { findTau2Directory } from '../world/load-data.js';
import { Tau2World } from '../world/tau2-world.js';
import { customerProfile } from './customer-profile.js';
import { ScriptedCustomer } from './scripted-customer.js';

const devTasks = parseTasks(readFileSync(join(findTau2Directory(), 'tasks-dev.json'), 'utf8'));

function customerIn(...steps: [string, Record<string, unknown>?][]) {
  const world = new Tau2World();
  runInitialization(world, { env_type: 'user', func_name: 'set_user_info', arguments: { name: 'John Smith', phone_number: '555-123-2002' } });
  for (const [name, args] of steps) runInitialization(world, { env_type: 'user', func_name: name, arguments: args ?? {} });
  world.clearActions();
  const profile = customerProfile(devTasks[2]!);
  return { world, customer: new ScriptedCustomer(world, profile) };
}

describe('customer profile (from the task)', () => {
  it('reads identity, location and preferences from the benchmark phrasing', () => {
    expect(customerProfile(devTasks[0]!)).toMatchObject({
      name: 'John Smith',
      phone: '555-123-2002',
      abroad: true,
      refuelGb: 2,
      acceptsPlanChange: false,
      paysBills: false,
    });
    expect(customerProfile(devTasks[1]!)).toMatchObject({ abroad: false });
    expect(customerProfile(devTasks[3]!)).toMatchObject({ phone: '555-123-2002', abroad: null, paysBills: true });
  });
});

describe('scripted customer', () => {
  it('acts only as asked: a setting already as asked is left alone', () => {
    const { world, customer } = customerIn(['turn_airplane_mode_on']);
    expect(customer.answer({ slot: 'service_after_airplane_off', question: '' })).toMatch(
      /^I turned Airplane Mode off\. Now my status bar shows: "Status Bar: 📶⁴ Excellent/,
    );
    expect(customer.answer({ slot: 'speed_after_data_on', question: '' })).toMatch(/^Mobile Data was already on\. I ran the speed test: .*Excellent/);
    const writes = world.actions().filter((action) => !action.name.startsWith('check') && action.name !== 'run_speed_test');
    expect(writes).toEqual([{ requestor: 'user', name: 'toggle_airplane_mode', arguments: {}, ok: true }]);
  });

  it('grounds every answer on the phone: it quotes what the tool showed', () => {
    const { world, customer } = customerIn(['remove_app_permission', { app_name: 'messaging', permission: 'storage' }]);
    expect(customer.answer({ slot: 'messaging_permissions', question: '' })).toBe('I checked: "The messaging app has these permissions: sms, phone."');
    expect(customer.answer({ slot: 'mms_after_permissions', question: '' })).toBe(
      'I gave the messaging app the storage permission. I tried to send a picture message: "Your messaging app can send MMS messages."',
    );
    expect(world.actions().map((action) => action.name)).toEqual(['check_app_permissions', 'check_app_permissions', 'grant_app_permission', 'can_send_mms']);
  });

  it('follows the task: refuels what it is willing to, pays only when the task says so', () => {
    const { customer } = customerIn();
    expect(customer.answer({ slot: 'data_top_up_choice', question: '' })).toBe("I'd like to refuel, I can take 2 GB.");
    expect(customer.answer({ slot: 'refuel_amount_gb', question: '' })).toBe('2 GB please.');
    expect(customer.answer({ slot: 'overdue_bill_paid', question: '' })).toMatch(/no payment request/);
  });

  it('answers a question it has no script for as a person would', () => {
    const { customer } = customerIn();
    expect(customer.answer({ slot: 'favourite_colour', question: 'Which colour?' })).toBe('I\'m not sure what you mean by "Which colour?"');
    expect(customer.answer({ slot: 'phone', question: '' })).toBe('My number is 555-123-2002.');
    expect(customer.opening()).toContain('Customer name: John Smith');
  });
});
