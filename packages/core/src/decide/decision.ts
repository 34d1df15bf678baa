import { z } from 'zod';

/**
 * The decision an LLM returns (DESIGN §3). It has no field that names a tool or an
 * action (L3): the LLM classifies and extracts; code decides what happens.
 */
export interface Decision {
  /** The user's problem, or null when unclear. */
  intent: string | null;
  /** How clear the problem type is, 0..1 (D2). Missing entities never lower it. */
  confidence: number;
  /** Slot values the user stated, by slot name. Unknown names are recorded and ignored. */
  entities: Record<string, unknown>;
}

const confidence = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value),
  z.number().min(0).max(1),
);

/**
 * The zod schema of a {@link Decision}. Lenient where models commonly slip (a numeric
 * string for `confidence`, an empty string or a missing `intent`, missing `entities`),
 * strict where it matters (confidence in 0..1, entities an object). Extra keys are dropped.
 */
export const decisionSchema = z
  .object({
    intent: z.string().max(200).nullable().optional(),
    confidence,
    entities: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .transform((raw): Decision => ({
    intent: typeof raw.intent === 'string' && raw.intent.trim() !== '' ? raw.intent.trim() : null,
    confidence: raw.confidence,
    entities: raw.entities ?? {},
  }));
