import type { MockExtractor } from '@ticketflow/llm-mock';
import { DESTINATIONS, canonicalDestination } from '../domain/destinations.js';
import { planIdOf } from '../domain/plans.js';
import { REGIONS, canonicalRegion } from '../domain/regions.js';

const alternatives = (names: readonly string[]) =>
  [...names]
    .sort((left, right) => right.length - left.length)
    .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');

const cityPattern = new RegExp(`(?<![\\p{L}])(${alternatives(REGIONS.flatMap((region) => region.aliases))})(?![\\p{L}])`, 'iu');
// "us" is an English word before it is a country: only "usa" counts in free text.
const countryPattern = new RegExp(`\\b(${alternatives(DESTINATIONS.flatMap((destination) => destination.aliases).filter((alias) => alias !== 'us'))})\\b`, 'i');

/** Words that answer a confirmation with yes or no (at the start of the message). */
export const YES_PATTERN = /^\s*(?:yes|yeah|yep|yup|sure|ok|okay|please do|go ahead|do it|confirm(?:ed)?|correct|absolutely|of course)\b/i;
export const NO_PATTERN =
  /^\s*(?:no|nope|cancel|don'?t|do not|stop|never ?mind)\b(?![\s-]*(?:internet|connection|signal|service|network|data|wifi|wi-fi|mobile))/i;

function tidyModel(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\biphone\b/i, 'iPhone')
    .replace(/\b(galaxy|pixel|samsung|xiaomi|redmi|oneplus|pro|max|plus|mini)\b/gi, (word) => word[0]!.toUpperCase() + word.slice(1).toLowerCase())
    .replace(/\b([saz])(\d)/gi, (_match, series: string, digit: string) => `${series.toUpperCase()}${digit}`);
}

/**
 * Slot extractors for free text: phone numbers, SIM numbers, cities, countries, amounts,
 * plans, phone models, technologies, account types, SIM formats and yes/no answers.
 */
export const TELECOM_EXTRACTORS: readonly MockExtractor[] = [
  {
    slot: 'iccid',
    pattern: /\b(89(?:[ -]?\d){16,20})\b/,
    map: (value) => value.replace(/\D/g, ''),
  },
  {
    slot: 'phone',
    pattern: /(?<![\w+])(\+?\d[\d ()/-]{5,20}\d)(?!\d)/,
    map: (value) => {
      const digits = value.replace(/\D/g, '');
      if (digits.length < 7 || digits.length > 15) return undefined;
      if (/^89\d{16,}$/.test(digits) || /^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
      return value.trim().replace(/\s+/g, ' ');
    },
  },
  { slot: 'region', pattern: cityPattern, map: canonicalRegion },
  { slot: 'destination', pattern: countryPattern, map: canonicalDestination },
  {
    slot: 'amount',
    pattern: /€\s*\d{1,6}(?:[.,]\d{1,2})?|\b\d{1,6}(?:[.,]\d{1,2})?\s*(?:€|eur\b|euros?\b)/i,
    group: 0,
    map: (value) => Number(value.replace(/[^\d.,]/g, '').replace(',', '.')),
  },
  {
    slot: 'plan',
    pattern: /(?<!iphone\s?\d{1,2}\s?)\b(unlimited|plus|basic|business pro)\b(?:\s+(?:plan|tariff))?/i,
    map: (value) => planIdOf(value),
  },
  {
    slot: 'phone_model',
    pattern:
      /\b(iphone(?:\s?\d{1,2}(?:\s?(?:pro max|pro|max|plus|mini))?)?|(?:samsung\s)?galaxy\s?(?:[saz]\s?\d{1,2}\w*|z\s?(?:fold|flip)\s?\d?)|pixel\s?\d{1,2}\w*(?:\s?pro)?|(?:xiaomi|redmi|oneplus)\s?\w+)/i,
    map: tidyModel,
  },
  { slot: 'device_type', pattern: /\b(android|ios)\b/i, map: (value) => value.toLowerCase() },
  {
    slot: 'service_type',
    pattern: /\b(fib(?:er|re)|ftth|v?dsl|adsl|landline|mobile (?:data|internet|network)|4g|5g|lte|cellular)\b/i,
    map: (value) => {
      const word = value.toLowerCase();
      if (word.startsWith('fib') || word === 'ftth') return 'fiber';
      if (word.endsWith('dsl') || word === 'landline') return 'dsl';
      return 'mobile';
    },
  },
  {
    slot: 'account_type',
    pattern: /\b(business|company|corporate|personal|private)\s+(?:account|customer|contract|line)\b/i,
    map: (value) => (/^(business|company|corporate)$/i.test(value) ? 'business' : 'personal'),
  },
  {
    slot: 'sim_format',
    pattern: /\b(e-?sim|sim card|physical sim|plastic sim|nano[- ]?sim)\b/i,
    map: (value) => (/^e-?sim$/i.test(value) ? 'esim' : 'physical'),
  },
  { slot: 'abroad', pattern: /\b(?:abroad|overseas)\b/i, group: 0, map: () => true },
  { slot: 'abroad', pattern: /\bat home\b/i, group: 0, map: () => false },
  { slot: 'confirm', pattern: YES_PATTERN, group: 0, map: () => true },
  { slot: 'confirm', pattern: NO_PATTERN, group: 0, map: () => false },
];
