import { buildDecisionJsonSchema } from '../decide/decision-json-schema.js';
import { ConfigurationError } from '../errors/ticketflow-error.js';
import { AgentHooks } from '../events/agent-hooks.js';
import { effectiveTimeoutMs, toolBudgetMs } from '../execute/run-tool-step.js';
import { CircuitBreaker } from '../llm/circuit-breaker.js';
import { collectRegistry, type Registry } from '../model/registry.js';
import { ClaimObserver } from '../runtime/claim-observer.js';
import type { Runtime, Settings } from '../runtime/runtime.js';
import { createSlotPrivacy, defaultRedactor, privacyIssues } from '../runtime/slot-privacy.js';
import { type AgentOptions, resolveSettings } from './agent-options.js';
import { catchingAsyncRedact } from '../runtime/redact-or-withhold.js';

/**
 * Checks the options and the definitions together — every problem listed at once — and
 * builds what every turn shares: the registry, the settings, the LLM chain with its
 * breakers, the hooks, the privacy of sensitive slots and the claim observer.
 * @throws {ConfigurationError}
 */
export function buildRuntime(options: AgentOptions): Runtime {
  const { settings, llms, issues } = resolveSettings(options);
  const { registry, issues: definitionIssues } = collectRegistry({
    intents: options?.intents ?? [],
    workflows: options?.workflows ?? [],
    slots: options?.slots ?? [],
  });
  issues.push(...definitionIssues, ...budgetIssues(registry, settings), ...privacyIssues(registry, options?.encryptionKey));
  if (issues.length > 0) throw new ConfigurationError({ message: 'Invalid createAgent options and definitions', issues });
  const { logger } = settings;
  return {
    store: options.store,
    registry,
    chain: llms.map((llm) => ({ llm, breaker: new CircuitBreaker(settings.circuitBreaker, settings.now) })),
    jsonSchema: buildDecisionJsonSchema(registry),
    settings,
    hooks: new AgentHooks((hook, error) =>
      logger?.warn({ hook, error: error instanceof Error ? error.message : String(error) }, 'ticketflow hook listener failed'),
    ),
    instrumentation: undefined,
    privacy: options.encryptionKey === undefined ? undefined : createSlotPrivacy(options.encryptionKey),
    redact: options.redact ? catchingAsyncRedact(options.redact) : defaultRedactor,
    claims: new ClaimObserver(settings, settings.maxClockSkewMs),
  };
}

/**
 * A tool's whole budget (timeout × attempts + backoff) must fit the lease: a claim renewed
 * while a tool runs still needs a live owner, and an owner cut off from the store must not
 * outlive its lease with a tool call in flight (issue 12 item 3).
 */
function budgetIssues(registry: Registry, settings: Settings): string[] {
  const issues: string[] = [];
  for (const tool of registry.tools.values()) {
    const timeoutMs = effectiveTimeoutMs(tool, settings.toolRetry, settings.leaseMs);
    const budget = toolBudgetMs(tool, settings.toolRetry, timeoutMs);
    if (budget > settings.leaseMs) {
      issues.push(
        `tool "${tool.name}": its budget (timeoutMs ${timeoutMs}${tool.timeoutExplicit ? '' : ' (not set: the 10 s default shortened to fit the lease)'} × ${tool.retries + 1} attempts + ${tool.retries} × ${settings.toolRetry.maxDelayMs} ms backoff = ${budget} ms) does not fit leaseMs ${settings.leaseMs}; raise leaseMs or lower the tool's retries${tool.timeoutExplicit ? ' or timeoutMs' : ' or toolRetry.maxDelayMs'}`,
      );
    }
  }
  return issues;
}
