import { defineSlot } from '@ticketflow/core';
import { z } from 'zod';
import { canonicalDestination } from './destinations.js';
import { deviceTypeOfModel, DEVICE_TYPES } from './devices.js';
import { PLAN_IDS, planIdOf } from './plans.js';
import { canonicalRegion, regionOfPhone } from './regions.js';

/**
 * The slots of the telecom domain. `service_type`, `account_type`, `device_type` and
 * `region` are stable facts (DESIGN S3): once known they survive intent switches.
 * `region` and `device_type` are inferred when the customer has not said them: from the
 * area code of a landline number and from a named phone model (S2).
 */

const lowerCase = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

const serviceAliases: Record<string, string> = {
  fibre: 'fiber',
  ftth: 'fiber',
  adsl: 'dsl',
  vdsl: 'dsl',
  '4g': 'mobile',
  '5g': 'mobile',
  lte: 'mobile',
  cellular: 'mobile',
};

/** A phone number: landline or mobile, national or international format. Kept as written (trimmed). */
export const phone = defineSlot({
  name: 'phone',
  schema: z
    .string()
    .trim()
    .transform((value) => value.replace(/\s+/g, ' '))
    .refine((value) => /^\+?[0-9][0-9 ()/-]*[0-9]$/.test(value), 'must be a phone number')
    .refine((value) => {
      const digits = value.replace(/\D/g, '').length;
      return digits >= 7 && digits <= 15;
    }, 'must have 7 to 15 digits'),
  question: 'What is the phone number of the line (landline or mobile)?',
  description: 'The customer phone number of the affected line, as written (e.g. "030 5550123" or "+49 151 2345678").',
});

/** A phone model as the customer named it; the source of `device_type`. */
export const phoneModel = defineSlot({
  name: 'phone_model',
  schema: z.string().trim().min(2).max(60),
  question: 'Which phone model do you use?',
  description: 'The phone model the customer named, e.g. "iPhone 15 Pro" or "Galaxy S23".',
});

export const serviceType = defineSlot({
  name: 'service_type',
  schema: z.preprocess(
    (value) => {
      const text = lowerCase(value);
      return typeof text === 'string' ? (serviceAliases[text] ?? text) : text;
    },
    z.enum(['fiber', 'mobile', 'dsl']),
  ),
  question: 'Is this about your fiber, DSL or mobile connection?',
  description: 'The kind of connection: fiber, dsl or mobile.',
});

export const accountType = defineSlot({
  name: 'account_type',
  schema: z.preprocess(lowerCase, z.enum(['personal', 'business'])),
  question: 'Is this a personal or a business account?',
});

export const region = defineSlot({
  name: 'region',
  schema: z.preprocess((value) => (typeof value === 'string' ? canonicalRegion(value) : value), z.string().min(2).max(60)),
  question: 'Which city are you in?',
  description: 'The city of the affected line or of the customer, e.g. "Berlin".',
  infer: { from: ['phone'], derive: (known) => regionOfPhone(known.phone) },
});

export const deviceType = defineSlot({
  name: 'device_type',
  schema: z.preprocess(lowerCase, z.enum(DEVICE_TYPES)),
  question: 'Is your phone an iPhone or an Android phone?',
  description: 'The operating system of the customer phone: ios, android or other.',
  infer: { from: ['phone_model'], derive: (known) => deviceTypeOfModel(known.phone_model) },
});

/** A credit amount in euros. Accepts `80`, `"80"`, `"80,50 €"`. */
export const amount = defineSlot({
  name: 'amount',
  schema: z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    const match = /^\s*(?:€|eur\s*)?\s*(\d{1,6}(?:[.,]\d{1,2})?)\s*(?:€|eur|euros?)?\s*$/i.exec(value);
    return match ? Number(match[1]!.replace(',', '.')) : value;
  }, z.number().positive().max(1_000)),
  question: 'How much were you overcharged, in euros?',
  description: 'The amount in euros to credit back, as a number.',
});

export const plan = defineSlot({
  name: 'plan',
  schema: z.preprocess(planIdOf, z.enum(PLAN_IDS)),
  question: 'Which plan would you like: Basic, Plus, Unlimited or Business Pro?',
  description: 'The tariff to switch to: basic, plus, unlimited or business_pro.',
});

export const destination = defineSlot({
  name: 'destination',
  schema: z.preprocess((value) => (typeof value === 'string' ? canonicalDestination(value) : value), z.string().min(2).max(60)),
  question: 'Which country are you travelling to?',
  description: 'The country the customer travels to, e.g. "Spain".',
});

export const simFormat = defineSlot({
  name: 'sim_format',
  schema: z.preprocess(
    (value) => {
      const text = lowerCase(value);
      return text === 'e-sim' ? 'esim' : text === 'sim card' || text === 'physical sim' ? 'physical' : text;
    },
    z.enum(['esim', 'physical']),
  ),
  question: 'Is it an eSIM or a physical SIM card?',
  description: 'The SIM to activate: esim or physical.',
});

/** The number printed on a physical SIM card (ICCID): 18–22 digits starting with 89. */
export const iccid = defineSlot({
  name: 'iccid',
  schema: z
    .string()
    .transform((value) => value.replace(/[\s-]/g, ''))
    .refine((value) => /^89\d{16,20}$/.test(value), 'must be the 18–22 digit number starting with 89 printed on the SIM card'),
  question: 'What is the number printed on the SIM card (it starts with 89)?',
  description: 'The ICCID printed on the SIM card: 18 to 22 digits starting with 89.',
});

/** Every slot, for the agent (`phone_model` is listed by no workflow: it is only an inference source). */
export const TELECOM_SLOTS = [phone, phoneModel, serviceType, accountType, region, deviceType, amount, plan, destination, simFormat, iccid];
