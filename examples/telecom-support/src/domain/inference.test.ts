import { describe, expect, it } from 'vitest';
import { canonicalDestination, isEuDestination } from './destinations.js';
import { deviceTypeOfModel } from './devices.js';
import { planIdOf } from './plans.js';
import { canonicalRegion, isMobileNumber, nationalDigits, regionOfPhone } from './regions.js';
import { amount, deviceType, iccid, phone, plan, region, serviceType } from './slots.js';

describe('region from a phone number (S2 source)', () => {
  it.each([
    ['030 5550123', 'Berlin'],
    ['+49 30 5550123', 'Berlin'],
    ['0049 40 555 0188', 'Hamburg'],
    ['(089) 555-0100', 'Munich'],
    ['0221 5550100', 'Cologne'],
    ['0341/5550188', 'Leipzig'],
  ])('%s is in %s', (number, city) => {
    expect(regionOfPhone(number)).toBe(city);
  });

  it('says nothing for mobile numbers, unknown area codes and non-strings', () => {
    expect(regionOfPhone('0151 2345678')).toBeUndefined();
    expect(regionOfPhone('+49 171 2345678')).toBeUndefined();
    expect(regionOfPhone('0999 123456')).toBeUndefined();
    expect(regionOfPhone(42)).toBeUndefined();
    expect(isMobileNumber('+49 151 2345678')).toBe(true);
    expect(nationalDigits('+49 (30) 555')).toBe('030555');
  });

  it('canonicalises city names', () => {
    expect(canonicalRegion(' münchen ')).toBe('Munich');
    expect(canonicalRegion('Potsdam')).toBe('Potsdam');
  });
});

describe('device type from a phone model (S2 source)', () => {
  it.each([
    ['iPhone 15 Pro', 'ios'],
    ['Galaxy S23', 'android'],
    ['Pixel 8', 'android'],
    ['Nokia 3310', 'other'],
  ])('%s is %s', (model, type) => {
    expect(deviceTypeOfModel(model)).toBe(type);
  });

  it('cannot tell an unknown model', () => {
    expect(deviceTypeOfModel('Fairphone 5')).toBeUndefined();
  });
});

describe('slot schemas (S4: a value that fails is not stored)', () => {
  it('accepts what customers and LLMs write, normalised', () => {
    expect(amount.schema.parse('80,50 €')).toBe(80.5);
    expect(amount.schema.parse(12)).toBe(12);
    expect(plan.schema.parse('Business Pro')).toBe('business_pro');
    expect(planIdOf('Unlimited plan')).toBe('unlimited');
    expect(serviceType.schema.parse('Fibre')).toBe('fiber');
    expect(serviceType.schema.parse('LTE')).toBe('mobile');
    expect(region.schema.parse('köln')).toBe('Cologne');
    expect(deviceType.schema.parse('iOS')).toBe('ios');
    expect(phone.schema.parse('  +49  151 2345678 ')).toBe('+49 151 2345678');
    expect(iccid.schema.parse('8949 0200 0012 3456 789')).toBe('8949020000123456789');
    expect(canonicalDestination('usa')).toBe('United States');
    expect(isEuDestination('Spain')).toBe(true);
    expect(isEuDestination('United States')).toBe(false);
  });

  it('refuses values that are not what the slot means', () => {
    expect(amount.schema.safeParse(-5).success).toBe(false);
    expect(amount.schema.safeParse(5_000).success).toBe(false);
    expect(amount.schema.safeParse('lots').success).toBe(false);
    expect(plan.schema.safeParse('platinum').success).toBe(false);
    expect(serviceType.schema.safeParse('satellite').success).toBe(false);
    expect(phone.schema.safeParse('12345').success).toBe(false);
    expect(phone.schema.safeParse('call me').success).toBe(false);
    expect(iccid.schema.safeParse('1234').success).toBe(false);
  });
});
