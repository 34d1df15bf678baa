import { replayTicket, type ReplayReport } from '@ticketflow/core';
import { HttpProblem } from './http-problem.js';
import type { InspectorReplayOptions } from './inspector-options.js';

/** Whether the replay route answers: the app gave the definitions (`replay` option) or not. */
export type ReplayAvailability = 'available' | 'not_configured';

/** Whether the replay route will answer. */
export function replayAvailability(options: InspectorReplayOptions | null): ReplayAvailability {
  return options ? 'available' : 'not_configured';
}

/**
 * Re-runs a stored ticket against the running definitions with `replayTicket` (recorded
 * decisions, tool outputs and human decisions replace the model, the tools and the people;
 * nothing is written, no tool is called).
 * @throws {HttpProblem} 501 when the app did not give the definitions.
 */
export async function runReplay(options: InspectorReplayOptions | null, ticketId: string): Promise<ReplayReport> {
  if (!options) {
    throw new HttpProblem(
      501,
      'replay_not_configured',
      'Replay is off: register the inspector with replay: { store, intents, workflows } (the definitions of the running code).',
    );
  }
  return replayTicket({ ...options, ticketId });
}
