import type { RecordedExamples } from './openapi-decorations.js';

/** Placeholder until record-openapi-examples.ts has run. */
export const RECORDED_EXAMPLES: RecordedExamples = { responses: {}, requests: {} };
