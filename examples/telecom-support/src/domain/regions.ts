/**
 * The regions (cities) of the simulated network, with their landline area codes and the
 * names customers use for them. One table feeds the region slot's schema, its inference
 * from a phone number and the offline LLM's city extractor.
 */
export interface RegionInfo {
  name: string;
  /** Landline area codes, national format (leading 0). */
  areaCodes: readonly string[];
  aliases: readonly string[];
}

export const REGIONS: readonly RegionInfo[] = [
  { name: 'Berlin', areaCodes: ['030'], aliases: ['berlin'] },
  { name: 'Hamburg', areaCodes: ['040'], aliases: ['hamburg'] },
  { name: 'Munich', areaCodes: ['089'], aliases: ['munich', 'münchen', 'muenchen'] },
  { name: 'Cologne', areaCodes: ['0221'], aliases: ['cologne', 'köln', 'koeln'] },
  { name: 'Frankfurt', areaCodes: ['069'], aliases: ['frankfurt'] },
  { name: 'Stuttgart', areaCodes: ['0711'], aliases: ['stuttgart'] },
  { name: 'Düsseldorf', areaCodes: ['0211'], aliases: ['düsseldorf', 'duesseldorf', 'dusseldorf'] },
  { name: 'Leipzig', areaCodes: ['0341'], aliases: ['leipzig'] },
  { name: 'Dresden', areaCodes: ['0351'], aliases: ['dresden'] },
  { name: 'Hanover', areaCodes: ['0511'], aliases: ['hanover', 'hannover'] },
  { name: 'Bremen', areaCodes: ['0421'], aliases: ['bremen'] },
  { name: 'Nuremberg', areaCodes: ['0911'], aliases: ['nuremberg', 'nürnberg', 'nuernberg'] },
];

const byAlias = new Map(REGIONS.flatMap((region) => region.aliases.map((alias) => [alias, region.name] as const)));

/** The canonical name of a known city (`münchen` → `Munich`), or the trimmed text itself. */
export function canonicalRegion(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return byAlias.get(trimmed.toLowerCase()) ?? trimmed;
}

/** A phone number in national format (`+49 30 …` → `030…`), digits only. */
export function nationalDigits(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (phone.trim().startsWith('+49')) return `0${digits.slice(2)}`;
  if (digits.startsWith('0049')) return `0${digits.slice(4)}`;
  return digits;
}

/**
 * The region of a landline number from its area code (longest prefix wins), or undefined:
 * mobile numbers (015x–017x) and unknown codes say nothing about where the customer is.
 */
export function regionOfPhone(phone: unknown): string | undefined {
  if (typeof phone !== 'string') return undefined;
  const national = nationalDigits(phone);
  let best: { name: string; length: number } | undefined;
  for (const region of REGIONS) {
    for (const code of region.areaCodes) {
      if (national.startsWith(code) && code.length > (best?.length ?? 0)) best = { name: region.name, length: code.length };
    }
  }
  return best?.name;
}

/** True for a German mobile number (015x, 016x, 017x). */
export function isMobileNumber(phone: string): boolean {
  return /^01[5-7]/.test(nationalDigits(phone));
}
