/** Phone models customers name, and the device type (operating system) each implies. */
export type DeviceType = 'ios' | 'android' | 'other';

export const DEVICE_TYPES: readonly DeviceType[] = ['ios', 'android', 'other'];

const families: readonly { pattern: RegExp; type: DeviceType }[] = [
  { pattern: /\biphone\b/i, type: 'ios' },
  { pattern: /\b(galaxy|samsung|pixel|xiaomi|redmi|oneplus|motorola|moto g|huawei|oppo|nokia \d)\b/i, type: 'android' },
  { pattern: /\b(nokia 3310|feature phone|doro)\b/i, type: 'other' },
];

/** The device type of a named phone model (`iPhone 15 Pro` → `ios`), or undefined when unknown. */
export function deviceTypeOfModel(model: unknown): DeviceType | undefined {
  if (typeof model !== 'string') return undefined;
  const special = families[2]!;
  if (special.pattern.test(model)) return special.type;
  return families.find((family) => family.pattern.test(model))?.type;
}

/** Where each device type keeps its mobile data settings, for replies. */
export const DATA_SETTINGS_PATH: Readonly<Record<DeviceType, string>> = {
  ios: 'Settings › Mobile Service › Mobile Data Options',
  android: 'Settings › Network & internet › SIMs › Access point names',
  other: 'the mobile data menu of your phone',
};
