import { WorldToolError } from './carrier-records.js';
import { canSendMms, mobileDataWorking, speedTest } from './phone-rules.js';
import type { Tau2World } from './tau2-world.js';
import { ScenarioError } from './initialization.js';

/** One check of a task's end state (`evaluation_criteria.env_assertions`). */
export interface EnvAssertion {
  env_type: 'user' | 'assistant';
  func_name: string;
  arguments: Record<string, unknown>;
  /** The value the function must return for the check to pass (true in every shipped task). */
  assert_value?: boolean;
  message?: string | null;
}

type Check = (world: Tau2World, args: Record<string, unknown>) => boolean;

const USER_CHECKS: Readonly<Record<string, Check>> = {
  assert_service_status: (world, args) => world.device.network_connection_status === args.expected_status,
  assert_mobile_data_status: (world, args) => mobileDataWorking(world.device, world.surroundings) === args.expected_status,
  assert_internet_speed: (world, args) => {
    const result = speedTest(world.device, world.surroundings);
    const speed = result.mbps ?? 0;
    const fast = speed >= Number(args.expected_speed ?? 0);
    const wanted = args.expected_desc;
    return wanted === null || wanted === undefined ? fast : fast && result.description.toLowerCase() === String(wanted).toLowerCase();
  },
  assert_internet_not_excellent: (world) => speedTest(world.device, world.surroundings).description.toLowerCase() !== 'excellent',
  assert_can_send_mms: (world, args) => canSendMms(world.device, world.surroundings) === args.expected_status,
  assert_airplane_mode_status: (world, args) => world.device.airplane_mode === args.expected_status,
  assert_mobile_roaming_status: (world, args) => world.device.roaming_enabled === args.expected_status,
  assert_mobile_data_saver_mode_status: (world, args) => world.device.data_saver_mode === args.expected_status,
  assert_mobile_data_usage_exceeded: (world, args) => world.surroundings.mobile_data_usage_exceeded === args.expected_status,
};

const ASSISTANT_CHECKS: Readonly<Record<string, Check>> = {
  assert_data_refueling_amount: (world, args) => {
    const { line } = world.records.ownedLine(String(args.customer_id), String(args.line_id));
    return Math.abs(line.data_refueling_gb - Number(args.expected_amount)) < 1e-6;
  },
  assert_no_overdue_bill: (world, args) => {
    const bill = world.records.data.bills.find((candidate) => candidate.bill_id === args.overdue_bill_id);
    return bill === undefined || bill.status === 'Paid';
  },
  assert_line_status: (world, args) => world.records.ownedLine(String(args.customer_id), String(args.line_id)).line.status === args.expected_status,
  assert_overdue_bill_exists: (world, args) => {
    const customer = world.records.customer(String(args.customer_id));
    const bill = world.records.data.bills.find((candidate) => candidate.bill_id === args.overdue_bill_id);
    if (!customer.bill_ids.includes(String(args.overdue_bill_id)) || bill?.status !== 'Overdue')
      throw new ScenarioError(`bill ${String(args.overdue_bill_id)} is not an overdue bill of ${customer.customer_id}`);
    return true;
  },
};

/**
 * Runs one assertion function of MODEL §7 (its result is taken before the sync that follows
 * it) and returns the function's value.
 * @throws {ScenarioError} for an unknown function, or arguments the world refuses.
 */
export function runAssertion(world: Tau2World, assertion: EnvAssertion): boolean {
  const table = assertion.env_type === 'assistant' ? ASSISTANT_CHECKS : USER_CHECKS;
  const check = table[assertion.func_name];
  if (!check) throw new ScenarioError(`unknown ${assertion.env_type} assertion ${assertion.func_name}`);
  let value: boolean;
  try {
    value = check(world, assertion.arguments ?? {});
  } catch (error) {
    if (error instanceof WorldToolError) throw new ScenarioError(`${assertion.func_name}: ${error.message}`);
    throw error;
  }
  world.sync();
  return value;
}

/** The assertion functions the world knows, by side. */
export const ASSERTION_FUNCTIONS = { user: Object.keys(USER_CHECKS), assistant: Object.keys(ASSISTANT_CHECKS) };
