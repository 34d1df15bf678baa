import type { SpanContext } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { StepLinks } from './step-links.js';

const span = (spanId: string): SpanContext => ({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId, traceFlags: 1 });

describe('StepLinks', () => {
  it('E3 keeps the step spans of an execution for a later compensation, per ticket and execution', () => {
    const links = new StepLinks();
    links.of('T-1', 'T-1:1')[2] = span('b7ad6b7169203331');
    expect(links.of('T-1', 'T-1:1')[2]?.spanId).toBe('b7ad6b7169203331');
    expect(links.of('T-2', 'T-1:1')[2]).toBeUndefined();
    expect(links.of('T-1', 'T-1:2')[2]).toBeUndefined();
  });

  it('stays bounded: past its capacity the least recently used executions go, in batches', () => {
    const links = new StepLinks(100);
    links.of('T-keep', 'e')[0] = span('00f067aa0ba902b7');
    for (let index = 0; index < 1_000; index += 1) {
      links.of(`T-${index}`, 'e')[0] = span('00f067aa0ba902b7');
      if (index % 50 === 0) links.of('T-keep', 'e'); // used again: stays
      expect(links.size).toBeLessThanOrEqual(100);
    }
    expect(links.of('T-keep', 'e')[0]).toBeDefined();
    expect(links.of('T-0', 'e')[0]).toBeUndefined();
  });
});
