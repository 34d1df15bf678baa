/** Roaming destinations: EU countries roam at home prices, others need a day pass. */
export interface DestinationInfo {
  name: string;
  eu: boolean;
  aliases: readonly string[];
}

export const DESTINATIONS: readonly DestinationInfo[] = [
  { name: 'Spain', eu: true, aliases: ['spain', 'mallorca', 'barcelona', 'madrid'] },
  { name: 'France', eu: true, aliases: ['france', 'paris'] },
  { name: 'Italy', eu: true, aliases: ['italy', 'rome', 'milan'] },
  { name: 'Austria', eu: true, aliases: ['austria', 'vienna'] },
  { name: 'Netherlands', eu: true, aliases: ['netherlands', 'holland', 'amsterdam'] },
  { name: 'Switzerland', eu: false, aliases: ['switzerland', 'zurich', 'geneva'] },
  { name: 'United Kingdom', eu: false, aliases: ['united kingdom', 'uk', 'england', 'london', 'scotland'] },
  { name: 'United States', eu: false, aliases: ['united states', 'usa', 'us', 'america', 'new york'] },
  { name: 'Turkey', eu: false, aliases: ['turkey', 'türkiye', 'istanbul'] },
  { name: 'Japan', eu: false, aliases: ['japan', 'tokyo'] },
];

const byAlias = new Map(DESTINATIONS.flatMap((destination) => destination.aliases.map((alias) => [alias, destination] as const)));

/** The canonical country for a name or city (`usa` → `United States`), or the trimmed text. */
export function canonicalDestination(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return byAlias.get(trimmed.toLowerCase())?.name ?? trimmed;
}

/** True when roaming there costs nothing extra (EU regulation). Unknown countries are not EU. */
export function isEuDestination(name: string): boolean {
  return DESTINATIONS.some((destination) => destination.name === name && destination.eu);
}
