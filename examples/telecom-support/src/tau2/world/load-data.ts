import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import type { ApnSettings, AppPermission, AppStatus, Bill, CarrierData, CrmDevice, Customer, Device, Line, Plan } from './types.js';

/** The data a fresh world starts from: the carrier's records and the phone's default state. */
export interface Tau2Data {
  carrier: CarrierData;
  device: Device;
}

/** The default APN settings (MODEL §2.2): what a reset restores. */
export const DEFAULT_APN: Readonly<ApnSettings> = Object.freeze({
  apn_name: 'internet',
  reset_at_reboot: false,
  mms_apn: 'mms',
  mmsc_url: 'http://mms.carrier.com/mms/wapenc',
  mms_proxy: null,
  mms_port: null,
});

const cache = new Map<string, Tau2Data>();

/**
 * The folder holding `db.toml` and `user_db.toml`: the given one, `TAU2_TELECOM_DIR`, or
 * `fixtures/tau2-telecom` found by walking up from this file (the repository's copy).
 * @throws {Error} when none is found.
 */
export function findTau2Directory(directory?: string): string {
  const given = directory ?? process.env.TAU2_TELECOM_DIR;
  if (given) {
    if (!existsSync(join(given, 'db.toml'))) throw new Error(`no db.toml in ${given}`);
    return given;
  }
  let current = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(current, 'fixtures', 'tau2-telecom');
    if (existsSync(join(candidate, 'db.toml'))) return candidate;
    const parent = dirname(current);
    if (parent === current) throw new Error('fixtures/tau2-telecom/db.toml not found above this package; set TAU2_TELECOM_DIR');
    current = parent;
  }
}

/**
 * Reads `db.toml` and `user_db.toml` (parsed once per folder) and returns a fresh deep copy:
 * every world owns its data.
 */
export function loadTau2Data(directory?: string): Tau2Data {
  const folder = findTau2Directory(directory);
  let data = cache.get(folder);
  if (!data) {
    data = parseTau2Data(readFileSync(join(folder, 'db.toml'), 'utf8'), readFileSync(join(folder, 'user_db.toml'), 'utf8'));
    cache.set(folder, data);
  }
  return structuredClone(data);
}

/** Parses the two TOML files into typed records, filling the optional fields the files omit with null. */
export function parseTau2Data(dbToml: string, userDbToml: string): Tau2Data {
  const db = parse(dbToml) as Record<string, Record<string, unknown>[]>;
  const user = parse(userDbToml) as { device: Record<string, unknown> };
  return {
    carrier: {
      plans: (db.plans ?? []).map((plan) => ({ ...plan }) as unknown as Plan),
      customers: (db.customers ?? []).map(toCustomer),
      lines: (db.lines ?? []).map(toLine),
      bills: (db.bills ?? []).map(toBill),
      devices: (db.devices ?? []).map(toCrmDevice),
    },
    device: toDevice(user.device),
  };
}

const orNull = <T>(value: unknown): T | null => (value === undefined ? null : (value as T));

function toLine(raw: Record<string, unknown>): Line {
  return {
    ...(raw as unknown as Line),
    device_id: orNull(raw.device_id),
    contract_end_date: orNull(raw.contract_end_date),
    last_plan_change_date: orNull(raw.last_plan_change_date),
    last_sim_replacement_date: orNull(raw.last_sim_replacement_date),
    suspension_start_date: orNull(raw.suspension_start_date),
  };
}

function toBill(raw: Record<string, unknown>): Bill {
  return {
    ...(raw as unknown as Bill),
    line_items: ((raw.line_items as unknown[] | undefined) ?? []).map((item) => ({ ...(item as object) })) as Bill['line_items'],
  };
}

function toCustomer(raw: Record<string, unknown>): Customer {
  return {
    ...(raw as unknown as Customer),
    payment_methods: ((raw.payment_methods as unknown[] | undefined) ?? []).map((method) => ({ ...(method as object) })) as Customer['payment_methods'],
    line_ids: [...((raw.line_ids as string[] | undefined) ?? [])],
    bill_ids: [...((raw.bill_ids as string[] | undefined) ?? [])],
    last_extension_date: orNull(raw.last_extension_date),
  };
}

function toCrmDevice(raw: Record<string, unknown>): CrmDevice {
  return {
    ...(raw as unknown as CrmDevice),
    imei: orNull(raw.imei),
    activation_date: orNull(raw.activation_date),
    last_esim_transfer_date: orNull(raw.last_esim_transfer_date),
  };
}

function toDevice(raw: Record<string, unknown>): Device {
  const apn = (raw.active_apn_settings ?? {}) as Partial<ApnSettings>;
  const apps = (raw.app_statuses ?? {}) as Record<string, { app_name?: string; permissions?: Partial<Record<AppPermission, boolean>> }>;
  const app_statuses: Record<string, AppStatus> = {};
  for (const [name, app] of Object.entries(apps)) {
    const granted = app.permissions ?? {};
    app_statuses[name] = {
      app_name: app.app_name ?? name,
      permissions: { sms: granted.sms ?? false, storage: granted.storage ?? false, phone: granted.phone ?? false, network: granted.network ?? false },
    };
  }
  return {
    ...(raw as unknown as Device),
    active_apn_settings: { ...DEFAULT_APN, ...apn },
    wifi_ssid: orNull(raw.wifi_ssid),
    vpn_details: orNull(raw.vpn_details),
    app_statuses,
  };
}
