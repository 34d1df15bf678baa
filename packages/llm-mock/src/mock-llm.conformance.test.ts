import { runLLMConformance } from '@ticketflow/core/testing';
import { MockLLM } from './mock-llm.js';

const decision = '{"intent":null,"confidence":0,"entities":{}}';

runLLMConformance({
  name: 'mock',
  create: (scenario) =>
    scenario.type === 'answer'
      ? new MockLLM({ respond: () => decision })
      : scenario.type === 'hang'
        ? new MockLLM({ respond: () => ({ hang: true }) })
        : new MockLLM({ respond: () => ({ error: scenario.kind }) }),
  expectedAnswer: { text: decision, model: 'mock-1' },
});
