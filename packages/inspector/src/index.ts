export { inspector } from './inspector-plugin.js';
export type { Authorization, AuthorizeContext, AuthorizeFunction, InspectorAction, InspectorOptions, InspectorReplayOptions } from './inspector-options.js';
export type { ReplayAvailability } from './replay-runner.js';
export { ATTENTION_STATUSES, QUEUE_STATUSES } from './queue-statuses.js';
