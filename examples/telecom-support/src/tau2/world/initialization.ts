import { WorldToolError } from './carrier-records.js';
import { networkSearch } from './phone-rules.js';
import type { Tau2World } from './tau2-world.js';
import { connectVpn, removePermission, setNetworkModePreference, toggleAirplaneMode } from './user-tools.js';
import { AGENT_OPERATIONS } from './agent-operations.js';

/** One step of a task's set-up (`initial_state.initialization_actions`). */
export interface InitializationAction {
  env_type: 'user' | 'assistant';
  func_name: string;
  arguments: Record<string, unknown>;
}

/** A set-up step the world does not know or that failed: the task cannot be run. */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

type Setup = (world: Tau2World, args: Record<string, unknown>) => void;

const phone = (world: Tau2World) => ({ device: world.device, surroundings: world.surroundings });
const search = (world: Tau2World) => networkSearch(world.device, world.surroundings);

/** Toggles until `read()` is `wanted`; `atLeastOnce` toggles even when it already is (MODEL §6 roaming). */
function toggleUntil(read: () => boolean, toggle: () => void, wanted: boolean, atLeastOnce: boolean): void {
  if (atLeastOnce) {
    do toggle();
    while (read() !== wanted);
  } else {
    while (read() !== wanted) toggle();
  }
}

const toggleRoaming = (world: Tau2World) => () => {
  world.device.roaming_enabled = !world.device.roaming_enabled;
  search(world);
};

/** The user-side set-up functions of MODEL §6. */
const USER_SETUP: Readonly<Record<string, Setup>> = {
  set_user_info: (world, args) => {
    world.surroundings.name = String(args.name ?? '');
    world.surroundings.phone_number = String(args.phone_number ?? '');
  },
  set_user_location: (world, args) => void (world.surroundings.is_abroad = args.abroad === true),
  turn_roaming_off: (world) => toggleUntil(() => world.device.roaming_enabled, toggleRoaming(world), false, true),
  turn_roaming_on: (world) => toggleUntil(() => world.device.roaming_enabled, toggleRoaming(world), true, true),
  turn_data_off: (world) =>
    toggleUntil(
      () => world.device.data_enabled,
      () => {
        world.device.data_enabled = !world.device.data_enabled;
        search(world);
      },
      false,
      false,
    ),
  turn_data_on: (world) => void (world.device.data_enabled = true),
  turn_data_saver_mode_on: (world) => void (world.device.data_saver_mode = true),
  turn_data_saver_mode_off: (world) => void (world.device.data_saver_mode = false),
  turn_airplane_mode_on: (world) =>
    toggleUntil(
      () => world.device.airplane_mode,
      () => void toggleAirplaneMode(phone(world)),
      true,
      false,
    ),
  turn_airplane_mode_off: (world) =>
    toggleUntil(
      () => world.device.airplane_mode,
      () => void toggleAirplaneMode(phone(world)),
      false,
      false,
    ),
  unseat_sim_card: (world) => {
    world.device.sim_card_missing = true;
    search(world);
  },
  lock_sim_card: (world, args) => {
    if (args.mode !== 'pin' && args.mode !== 'puk') throw new ScenarioError(`lock_sim_card: mode must be pin or puk, not ${String(args.mode)}`);
    world.device.sim_card_status = args.mode === 'pin' ? 'locked_pin' : 'locked_puk';
    search(world);
  },
  break_apn_settings: (world) => {
    world.device.active_apn_settings.apn_name = 'broken';
    search(world);
  },
  break_apn_mms_setting: (world) => void (world.device.active_apn_settings.mmsc_url = null),
  set_wifi_calling: (world, args) => {
    world.device.wifi_calling_enabled = args.enabled === true;
    if (args.mms_over_wifi !== undefined && args.mms_over_wifi !== null) world.device.wifi_calling_mms_over_wifi = args.mms_over_wifi === true;
  },
  break_vpn: (world) => {
    connectVpn(phone(world));
    if (world.device.vpn_details) world.device.vpn_details.server_performance = 'poor';
  },
  remove_app_permission: (world, args) => {
    if (!removePermission(phone(world), String(args.app_name ?? ''), String(args.permission ?? '')))
      throw new ScenarioError(`remove_app_permission: no permission ${String(args.permission)} on app ${String(args.app_name)}`);
  },
  set_network_mode_preference: (world, args) => {
    const result = setNetworkModePreference(phone(world), args.mode);
    if (result.startsWith('Failed')) throw new ScenarioError(result);
  },
  simulate_network_search: (world) => search(world),
};

/** The agent-side set-up functions of MODEL §6. */
const ASSISTANT_SETUP: Readonly<Record<string, Setup>> = {
  set_data_usage: (world, args) => {
    const { line } = world.records.ownedLine(String(args.customer_id), String(args.line_id));
    if (typeof args.data_used_gb !== 'number') throw new ScenarioError('set_data_usage: data_used_gb must be a number');
    line.data_used_gb = args.data_used_gb;
  },
  enable_roaming: (world, args) => void AGENT_OPERATIONS.enable_roaming!.run(world.records, args, world.today),
  disable_roaming: (world, args) => void AGENT_OPERATIONS.disable_roaming!.run(world.records, args, world.today),
  refuel_data: (world, args) => void AGENT_OPERATIONS.refuel_data!.run(world.records, args, world.today),
  suspend_line_for_overdue_bill: (world, args) => suspendForOverdueBill(world, args),
};

function suspendForOverdueBill(world: Tau2World, args: Record<string, unknown>): void {
  const customerId = String(args.customer_id);
  const { customer, line } = world.records.ownedLine(customerId, String(args.line_id));
  if (line.status !== 'Active') throw new ScenarioError(`suspend_line_for_overdue_bill: line ${line.line_id} is not Active`);
  const overdue = customer.bill_ids.some((billId) => world.records.data.bills.find((bill) => bill.bill_id === billId)?.status === 'Overdue');
  if (overdue) throw new ScenarioError(`suspend_line_for_overdue_bill: customer ${customerId} already has an overdue bill`);
  const price = world.records.plan(line.plan_id).price_per_month;
  const billId = String(args.new_bill_id);
  const { start, end } = previousMonth(world.today);
  world.records.data.bills.push({
    bill_id: billId,
    customer_id: customerId,
    period_start: start,
    period_end: end,
    issue_date: start,
    total_due: price,
    due_date: addDays(start, 14),
    line_items: [{ description: `Charge for line ${line.line_id}`, amount: price, date: world.today, item_type: 'Charge' }],
    status: 'Overdue',
  });
  customer.bill_ids.push(billId);
  line.status = 'Suspended';
  line.suspension_start_date = world.today;
  if (args.contract_ended === true) line.contract_end_date = end;
}

/** The calendar month before an ISO date: `2025-02-25` → 2025-01-01 … 2025-01-31. */
export function previousMonth(isoDate: string): { start: string; end: string } {
  const [year, month] = isoDate.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(year, month - 2, 1));
  const last = new Date(Date.UTC(year, month - 1, 0));
  return { start: first.toISOString().slice(0, 10), end: last.toISOString().slice(0, 10) };
}

function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Runs one set-up step of a task, then syncs (MODEL §6).
 * @throws {ScenarioError} for an unknown function or a step the world refuses.
 */
export function runInitialization(world: Tau2World, action: InitializationAction): void {
  const table = action.env_type === 'assistant' ? ASSISTANT_SETUP : USER_SETUP;
  const setup = table[action.func_name];
  if (!setup) throw new ScenarioError(`unknown ${action.env_type} initialization function ${action.func_name}`);
  try {
    setup(world, action.arguments ?? {});
  } catch (error) {
    if (error instanceof WorldToolError) throw new ScenarioError(`${action.func_name}: ${error.message}`);
    throw error;
  }
  world.sync();
}

/** The set-up functions the world knows, by side. */
export const INITIALIZATION_FUNCTIONS = { user: Object.keys(USER_SETUP), assistant: Object.keys(ASSISTANT_SETUP) };
