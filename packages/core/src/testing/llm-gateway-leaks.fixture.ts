// Run by llm-gateway-leaks.test.ts in a child vitest: the gateway tests against the reference
// adapter and against variants that leak, each in its own describe named after it.
import { runGatewayEchoConformance } from './llm-conformance-gateway.js';
import { ReferenceHttpLLM, type ReferenceLeak } from './reference-http-llm.fixture.js';

for (const leak of [undefined, 'api-key-only', 'raw-only', 'cause'] as (ReferenceLeak | undefined)[]) {
  runGatewayEchoConformance({
    name: leak ?? 'reference',
    apiKey: `tf-test-key-${Math.random().toString(36).slice(2, 12)}`,
    slackMs: 1_000,
    create: (context) => new ReferenceHttpLLM({ ...context, leak }),
    customHeaders: true,
    urlCredentials: true,
  });
}
