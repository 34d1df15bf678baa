/**
 * The state of the τ²-bench telecom world, field for field as `fixtures/tau2-telecom/MODEL.md`
 * §2 describes it. Field names are the benchmark's (snake_case) because tasks, assertions and
 * tool arguments name them.
 */

export type SimStatus = 'active' | 'missing' | 'locked_pin' | 'locked_puk';
export type NetworkTechnology = 'none' | '2G' | '3G' | '4G' | '5G';
export type NetworkModePreference = '4g_5g_preferred' | '4g_only' | '3g_only' | '2g_only';
export type SignalStrength = 'none' | 'poor' | 'fair' | 'good' | 'excellent';
export type NetworkStatus = 'connected' | 'searching' | 'no_service' | 'emergency_only';
export type PerformanceLevel = 'unknown' | 'poor' | 'fair' | 'good' | 'excellent';
export type ApnName = 'internet' | 'broken';
export type AppPermission = 'sms' | 'storage' | 'phone' | 'network';

export const SIM_STATUSES: readonly SimStatus[] = ['active', 'missing', 'locked_pin', 'locked_puk'];
export const NETWORK_TECHNOLOGIES: readonly NetworkTechnology[] = ['none', '2G', '3G', '4G', '5G'];
export const NETWORK_MODE_PREFERENCES: readonly NetworkModePreference[] = ['4g_5g_preferred', '4g_only', '3g_only', '2g_only'];
export const SIGNAL_STRENGTHS: readonly SignalStrength[] = ['none', 'poor', 'fair', 'good', 'excellent'];
export const NETWORK_STATUSES: readonly NetworkStatus[] = ['connected', 'searching', 'no_service', 'emergency_only'];
export const PERFORMANCE_LEVELS: readonly PerformanceLevel[] = ['unknown', 'poor', 'fair', 'good', 'excellent'];
/** The permissions an app has, in the order the phone lists them. */
export const APP_PERMISSIONS: readonly AppPermission[] = ['sms', 'storage', 'phone', 'network'];

/** The phone's active access point (APN) settings. */
export interface ApnSettings {
  apn_name: ApnName;
  /** Set by `reset_apn_settings`: the defaults are restored at the next reboot. */
  reset_at_reboot: boolean;
  mms_apn: string | null;
  /** Only `null` breaks MMS (MODEL Q7: an empty string counts as configured). */
  mmsc_url: string | null;
  mms_proxy: string | null;
  mms_port: number | null;
}

export interface VpnDetails {
  server_address: string;
  protocol: string;
  server_performance: PerformanceLevel;
}

export interface AppStatus {
  app_name: string;
  permissions: Record<AppPermission, boolean>;
}

/** The customer's phone (MODEL §2.2). */
export interface Device {
  sim_card_status: SimStatus;
  sim_card_missing: boolean;
  airplane_mode: boolean;
  network_signal_strength: SignalStrength;
  network_technology_connected: NetworkTechnology;
  network_connection_status: NetworkStatus;
  battery_level: number;
  data_enabled: boolean;
  roaming_enabled: boolean;
  network_mode_preference: NetworkModePreference;
  active_apn_settings: ApnSettings;
  wifi_enabled: boolean;
  wifi_connected: boolean;
  wifi_ssid: string | null;
  wifi_signal_strength: SignalStrength;
  wifi_calling_enabled: boolean;
  wifi_calling_mms_over_wifi: boolean;
  data_saver_mode: boolean;
  vpn_enabled_setting: boolean;
  vpn_connected: boolean;
  vpn_details: VpnDetails | null;
  app_statuses: Record<string, AppStatus>;
}

/** A payment request the carrier pushed to the phone (created by the sync, paid by `make_payment`). */
export interface PaymentRequest {
  bill_id: string;
  amount_due: number;
  paid: boolean;
}

/** The customer's physical surroundings, partly synchronised from the carrier's records (MODEL §2.3). */
export interface Surroundings {
  name: string | null;
  phone_number: string | null;
  is_abroad: boolean;
  roaming_allowed: boolean;
  signal_strength: Record<Exclude<NetworkTechnology, 'none'>, SignalStrength>;
  mobile_data_usage_exceeded: boolean;
  line_active: boolean;
  payment_request: PaymentRequest | null;
}

// --- the carrier's records (MODEL §2.4) ------------------------------------------------------

export type LineStatus = 'Active' | 'Suspended' | 'Pending Activation' | 'Closed';
export type BillStatus = 'Draft' | 'Issued' | 'Awaiting Payment' | 'Paid' | 'Overdue' | 'Disputed';
export type AccountStatus = 'Active' | 'Suspended' | 'Pending Verification' | 'Closed';

export interface Plan {
  plan_id: string;
  name: string;
  data_limit_gb: number;
  price_per_month: number;
  data_refueling_price_per_gb: number;
}

export interface Line {
  line_id: string;
  phone_number: string;
  status: LineStatus;
  plan_id: string;
  device_id: string | null;
  data_used_gb: number;
  data_refueling_gb: number;
  roaming_enabled: boolean;
  contract_end_date: string | null;
  last_plan_change_date: string | null;
  last_sim_replacement_date: string | null;
  suspension_start_date: string | null;
}

export interface LineItem {
  description: string;
  amount: number;
  date: string;
  item_type: string;
}

export interface Bill {
  bill_id: string;
  customer_id: string;
  period_start: string;
  period_end: string;
  issue_date: string;
  total_due: number;
  due_date: string;
  line_items: LineItem[];
  status: BillStatus;
}

export interface PaymentMethod {
  method_type: 'Credit Card' | 'Debit Card' | 'PayPal';
  account_number_last_4: string;
  expiration_date: string;
}

export interface Customer {
  customer_id: string;
  full_name: string;
  date_of_birth: string;
  email: string;
  phone_number: string;
  address: { street: string; city: string; state: string; zip_code: string };
  account_status: AccountStatus;
  payment_methods: PaymentMethod[];
  line_ids: string[];
  bill_ids: string[];
  created_at: string;
  last_extension_date: string | null;
  goodwill_credit_used_this_year: number;
}

export interface CrmDevice {
  device_id: string;
  device_type: 'phone' | 'router' | 'tablet' | 'watch' | 'other';
  model: string;
  imei: string | null;
  is_esim_capable: boolean;
  activated: boolean;
  activation_date: string | null;
  last_esim_transfer_date: string | null;
}

/** The carrier's database: what the agent's tools read and change. */
export interface CarrierData {
  plans: Plan[];
  customers: Customer[];
  lines: Line[];
  bills: Bill[];
  devices: CrmDevice[];
}

/** Which side performed an action: the customer on the phone, or the agent on the records. */
export type Requestor = 'user' | 'assistant';

/** One action performed in the world, as the harness reports it. */
export interface WorldAction {
  requestor: Requestor;
  name: string;
  arguments: Record<string, unknown>;
  /** False when the action failed (an error message instead of a result; nothing changed). */
  ok: boolean;
  /** Set on an agent action that a compensation later undid. */
  undone?: boolean;
}
