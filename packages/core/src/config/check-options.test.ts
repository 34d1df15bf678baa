import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/ticketflow-error.js';
import { checkOptions, parseOptions } from './check-options.js';
import { closestName } from './closest-name.js';

const schema = z.object({ leaseMs: z.number().positive().optional(), confidenceThreshold: z.number().min(0).max(1).optional(), filename: z.string() });

describe('option checks', () => {
  it('names an unknown key and the closest valid one', () => {
    const { issues } = checkOptions(schema, { filename: 'x', leaseMS: 5, confidenceTreshold: 0.5 }, 'createAgent');
    expect(issues).toEqual(['unknown option "leaseMS" — did you mean "leaseMs"?', 'unknown option "confidenceTreshold" — did you mean "confidenceThreshold"?']);
  });

  it('lists valid keys when nothing is close', () => {
    const { issues } = checkOptions(schema, { filename: 'x', zzzzzzzzzz: 1 }, 'store');
    expect(issues[0]).toContain('valid options: leaseMs, confidenceThreshold, filename');
  });

  it('lists every problem at once, unknown keys and bad values together', () => {
    const error = (() => {
      try {
        parseOptions(schema, { leaseMS: 5, confidenceThreshold: 2 }, 'createAgent');
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).issues).toHaveLength(3);
  });

  it('refuses a value that is not an object', () => {
    expect(checkOptions(schema, null, 'store').issues[0]).toContain('needs an options object');
  });

  it('returns the parsed options when all is well', () => {
    expect(parseOptions(schema, { filename: 'a' }, 'store')).toEqual({ filename: 'a' });
  });

  it('suggests on case and swapped letters, not on unrelated names', () => {
    expect(closestName('ttlms', ['ttlMs', 'filename'])).toBe('ttlMs');
    expect(closestName('nmaespace', ['namespace'])).toBe('namespace');
    expect(closestName('x', ['namespace'])).toBeUndefined();
  });

  it('refuses an option the target cannot honour with the reason, not as a bare unknown key', () => {
    const { issues } = checkOptions(schema, { filename: 'x', ttlMs: 1_000, leaseMS: 1 }, 'SqliteTicketStore', {
      unsupported: { ttlMs: 'retention is store.purge({ before })' },
    });
    expect(issues).toEqual([
      'SqliteTicketStore does not support option "ttlMs": retention is store.purge({ before })',
      'unknown option "leaseMS" — did you mean "leaseMs"?',
    ]);
    expect(() => parseOptions(schema, { filename: 'x', ttlMs: 1 }, 'SqliteTicketStore', { unsupported: { ttlMs: 'use purge' } })).toThrow(
      /does not support option "ttlMs": use purge/,
    );
  });
});
