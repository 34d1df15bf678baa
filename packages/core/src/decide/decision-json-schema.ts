import { z } from 'zod';
import type { Registry } from '../model/registry.js';

/**
 * The JSON Schema of a decision for this agent's domain, sent as `jsonSchema` so that
 * providers use their native structured-output mode. Intents are listed as an enum; each
 * slot's schema is converted from zod where it can be (otherwise left open).
 * Adapters convert it to the dialect their provider accepts.
 */
export function buildDecisionJsonSchema(registry: Registry): Record<string, unknown> {
  const entityProperties: Record<string, unknown> = {};
  for (const slot of registry.slots.values()) entityProperties[slot.name] = slotJsonSchema(slot.schema, slot.description);
  entityProperties.intent = { type: 'string', description: 'The intent name, when answering a question about the problem type' };
  entityProperties.confirm = { type: 'boolean', description: 'Yes (true) or no (false) to a confirmation question' };
  return {
    type: 'object',
    properties: {
      intent: { type: ['string', 'null'], enum: [...registry.intents.keys(), null], description: 'The problem type, or null when unclear' },
      confidence: { type: 'number', minimum: 0, maximum: 1, description: 'How clear the problem type is; missing details never lower it' },
      entities: { type: 'object', properties: entityProperties, additionalProperties: false, description: 'Only values the customer stated' },
    },
    required: ['intent', 'confidence', 'entities'],
    additionalProperties: false,
  };
}

function slotJsonSchema(schema: z.ZodType, description: string): Record<string, unknown> {
  try {
    const converted = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
    delete converted.$schema;
    return { ...converted, description };
  } catch {
    return { description };
  }
}
