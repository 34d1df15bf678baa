import { ConfigurationError } from '../errors/ticketflow-error.js';
import { RESERVED_SLOTS } from './action.js';
import { assertName, checkKnownKeys } from './validate-definition.js';

/** What `defineIntent` takes. */
export interface IntentConfig {
  /** Unique name the LLM returns in `decision.intent`. */
  name: string;
  /** What problem this is, written for the LLM. Default: the name in words. */
  description?: string | undefined;
  /**
   * How the customer reads this intent when the agent asks which problem it is (D4), e.g.
   * `'a question about your bill'`. Default: the name in words.
   */
  label?: string | undefined;
  /** A few example user messages, shown to the LLM. */
  examples?: readonly string[] | undefined;
}

/** An intent (the user's problem, D1), as `defineIntent` returns it. */
export interface IntentDefinition {
  readonly kind: 'intent';
  readonly name: string;
  readonly description: string;
  /** Customer-facing name, listed by the question that asks for the intent (D4). */
  readonly label: string;
  readonly examples: readonly string[];
}

/**
 * Declares an intent: a kind of problem users come with. Workflows (our plans) refer to it.
 *
 * @example
 * ```ts
 * const noInternet = defineIntent({ name: 'no_internet', description: 'Internet does not work at all' });
 * ```
 * @throws {ConfigurationError} on a missing or malformed name, or an empty description.
 */
export function defineIntent(config: IntentConfig): IntentDefinition {
  const issues: string[] = [];
  assertName(issues, 'intent', config?.name);
  checkKnownKeys(issues, `intent "${config?.name}"`, config, ['name', 'description', 'label', 'examples']);
  if (config?.name === RESERVED_SLOTS.intent) issues.push('intent name "intent" is reserved');
  if (config?.description !== undefined && (typeof config.description !== 'string' || config.description.trim() === '')) {
    issues.push(`intent "${config?.name}": description must be a non-empty string`);
  }
  if (config?.label !== undefined && (typeof config.label !== 'string' || config.label.trim() === '')) {
    issues.push(`intent "${config?.name}": label must be a non-empty string`);
  }
  if (config?.examples !== undefined && (!Array.isArray(config.examples) || !config.examples.every((example) => typeof example === 'string'))) {
    issues.push(`intent "${config?.name}": examples must be strings`);
  }
  if (issues.length > 0) throw new ConfigurationError({ message: 'Invalid intent definition', issues });
  const inWords = config.name.replaceAll(/[_.-]+/g, ' ');
  const description = config.description ?? inWords;
  const label = config.label ?? inWords;
  return Object.freeze({ kind: 'intent' as const, name: config.name, description, label, examples: Object.freeze([...(config.examples ?? [])]) });
}
