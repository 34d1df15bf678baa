import type { z } from 'zod';
import { ConfigurationError } from '../errors/ticketflow-error.js';
import { RESERVED_SLOTS } from './action.js';
import { findAsyncPart, isAsyncFunction } from './async-schema.js';
import { findUnstorableType } from './json-value.js';
import { assertName, checkKnownKeys, isZodSchema } from './validate-definition.js';

/** Known slot values by name, as `when` and `infer.derive` see them (values as stored: JSON). */
export type SlotValues = Readonly<Record<string, unknown>>;

/**
 * How a slot's value can be derived from other slots (DESIGN S2). The engine recomputes it
 * whenever a source changes: a derived value is recorded with `source: 'inferred'`,
 * removed when its sources no longer give one, and never replaces a value the user gave.
 */
export interface SlotInference<T> {
  /** The slots the value is derived from. */
  from: readonly string[];
  /** Derives the value from the known slots; `undefined` or `null` means "cannot tell". Must be pure. */
  derive: (known: SlotValues) => T | undefined | null;
}

/** What `defineSlot` takes. */
export interface SlotConfig<T, Name extends string = string> {
  /** Unique name; the key of the value in decisions (`entities`) and in `ctx.slots`. */
  name: Name;
  /**
   * Parses a value the LLM extracted. A value that fails is not stored (S4). Values are
   * stored as JSON and parsed again by this schema when a workflow reads them, so the
   * schema must accept its own output in JSON form (`z.coerce.date()` does; `z.date()`,
   * `z.bigint()`, maps and sets do not and are refused here).
   */
  schema: z.ZodType<T>;
  /** The one question that asks for this slot (D4). Default: asks for the slot by its description or name. */
  question?: string | undefined;
  /** Tells the LLM what the slot means; defaults to the question. */
  description?: string | undefined;
  /**
   * A stable fact (S3): kept across intent switches and never spent. `service_type`,
   * `account_type`, `device_type` and `region` are stable unless declared `stable: false`.
   */
  stable?: boolean | undefined;
  /**
   * Personal data that must never be stored, logged or evented in clear (P1): the ticket
   * keeps it encrypted with the agent's `encryptionKey`; events, transcripts, logs, `inspect`
   * and later prompts show a mask (`****1234`); the workflow receives the value.
   */
  sensitive?: boolean | undefined;
  /** Derivation from other slots (S2). */
  infer?: SlotInference<T> | undefined;
  /** How a value reads in a confirmation question (e.g. `(amount) => `${amount} €``). Default: the value as text. */
  format?: ((value: T) => string) | undefined;
}

/** A slot, as `defineSlot` returns it. Workflows list these objects. */
export interface SlotDefinition<T = unknown, Name extends string = string> {
  readonly kind: 'slot';
  readonly name: Name;
  readonly schema: z.ZodType<T>;
  readonly question: string;
  readonly description: string;
  readonly stable: boolean;
  readonly sensitive: boolean;
  readonly infer: SlotInference<T> | undefined;
  readonly format: ((value: T) => string) | undefined;
}

/** Any slot definition, whatever its value type. */
export type AnySlotDefinition = SlotDefinition<any, string>;

/** The value type of a slot definition. */
export type SlotValueOf<Slot> = Slot extends SlotDefinition<infer T, string> ? T : never;

/** Slot names that are stable facts by default (DESIGN S3). */
export const DEFAULT_STABLE_SLOTS: readonly string[] = ['service_type', 'account_type', 'device_type', 'region'];

/**
 * Declares a slot: a piece of information a workflow needs.
 *
 * @example
 * ```ts
 * const region = defineSlot({ name: 'region', schema: z.string().min(2), question: 'Which city or region are you in?',
 *   infer: { from: ['phone'], derive: (known) => regionOfAreaCode(known.phone) } });
 * ```
 * @throws {ConfigurationError} on a missing name or schema, an empty question, a reserved
 * name, or a schema whose values cannot be stored as JSON.
 */
export function defineSlot<T, const Name extends string>(config: SlotConfig<T, Name>): SlotDefinition<T, Name> {
  const issues = checkSlotConfig(config as unknown as SlotConfig<unknown>);
  if (issues.length > 0) throw new ConfigurationError({ message: 'Invalid slot definition', issues });
  const name = config.name;
  const question = config.question ?? `What is your ${(config.description ?? name.replaceAll(/[_.-]+/g, ' ')).replace(/[.?]$/, '')}?`;
  return Object.freeze({
    kind: 'slot' as const,
    name,
    schema: config.schema,
    question,
    description: config.description ?? question,
    stable: config.stable ?? DEFAULT_STABLE_SLOTS.includes(name),
    sensitive: config.sensitive ?? false,
    infer: config.infer ? Object.freeze({ from: [...config.infer.from], derive: config.infer.derive }) : undefined,
    format: config.format,
  });
}

function checkSlotConfig(config: SlotConfig<unknown>): string[] {
  const issues: string[] = [];
  assertName(issues, 'slot', config?.name);
  const name = config?.name;
  checkKnownKeys(issues, `slot "${name}"`, config, ['name', 'schema', 'question', 'description', 'stable', 'sensitive', 'infer', 'format']);
  if (name === RESERVED_SLOTS.intent || name === RESERVED_SLOTS.confirm) issues.push(`slot name "${name}" is reserved by the engine`);
  if (!isZodSchema(config?.schema)) issues.push(`slot "${name}": schema must be a zod schema`);
  else {
    const unstorable = findUnstorableType(config.schema);
    if (unstorable)
      issues.push(
        `slot "${name}": its schema produces ${unstorable}, which cannot be stored as JSON and read back; use a JSON type (e.g. z.coerce.date() or an ISO string)`,
      );
    const asynchronous = findAsyncPart(config.schema);
    if (asynchronous)
      issues.push(`slot "${name}": its schema has ${asynchronous}; slot values are parsed synchronously, so check asynchronously in a tool instead`);
  }
  if (config?.question !== undefined && (typeof config.question !== 'string' || config.question.trim() === ''))
    issues.push(`slot "${name}": question must be a non-empty string`);
  if (config?.description !== undefined && typeof config.description !== 'string') issues.push(`slot "${name}": description must be a string`);
  if (config?.format !== undefined && typeof config.format !== 'function') issues.push(`slot "${name}": format must be a function`);
  else if (isAsyncFunction(config?.format)) issues.push(`slot "${name}": format must answer synchronously (it writes the confirmation question)`);
  for (const flag of ['stable', 'sensitive'] as const) {
    if (config?.[flag] !== undefined && typeof config[flag] !== 'boolean') issues.push(`slot "${name}": ${flag} must be a boolean`);
  }
  if (config?.sensitive === true && config.infer !== undefined) issues.push(`slot "${name}": a sensitive slot cannot be inferred`);
  if (config?.infer !== undefined) issues.push(...checkInference(name, config.infer));
  return issues;
}

function checkInference(name: string, infer: SlotInference<unknown>): string[] {
  const issues: string[] = [];
  const { from, derive } = infer ?? {};
  if (!Array.isArray(from) || from.length === 0 || !from.every((source) => typeof source === 'string' && source !== '')) {
    issues.push(`slot "${name}": infer.from must list at least one slot name`);
  } else if (from.includes(name)) {
    issues.push(`slot "${name}": infer.from cannot include the slot itself`);
  }
  if (typeof derive !== 'function') issues.push(`slot "${name}": infer.derive must be a function`);
  else if (isAsyncFunction(derive)) issues.push(`slot "${name}": infer.derive must answer synchronously (an async derive's promise is never a value)`);
  return issues;
}
