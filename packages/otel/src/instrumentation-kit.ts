import type { Tracer } from '@opentelemetry/api';
import type { AgentMetrics } from './agent-metrics.js';
import type { ContentCapture } from './content-capture.js';
import type { StepLinks } from './step-links.js';

/** What every span of one instrumentation shares. */
export interface InstrumentationKit {
  tracer: Tracer;
  /** The instruments (re-created when the global meter provider changes). */
  metrics(): AgentMetrics;
  content: ContentCapture;
  links: StepLinks;
  models: ProviderModels;
}

/**
 * The model each provider last answered with: the core does not say which model an LLM
 * request is for before it answers, so a `chat` span is named after the model its provider
 * used last (then corrected from the answer).
 */
export class ProviderModels {
  private readonly models = new Map<string, string>();

  get(provider: string): string | undefined {
    return this.models.get(provider);
  }

  set(provider: string, model: string): void {
    if (this.models.get(provider) === model) return;
    if (this.models.size >= 256 && !this.models.has(provider)) return;
    this.models.set(provider, model);
  }
}

/** Runs `report` and ignores what it throws: instrumentation must never change a turn. */
export function quietly<T>(report: () => T): T | undefined {
  try {
    return report();
  } catch {
    return undefined;
  }
}
