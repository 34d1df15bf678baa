import * as core from '@ticketflow/core';
import { HttpProblem } from './http-problem.js';
import type { InspectorReplayOptions } from './inspector-options.js';

type ReplayTicket = (options: InspectorReplayOptions & { ticketId: string }) => Promise<unknown>;

/** Whether the replay can run: configured by the app and provided by the installed core. */
export type ReplayAvailability = 'available' | 'not_configured' | 'not_supported';

/**
 * `replayTicket` of the installed `@ticketflow/core`, looked up at run time so that the
 * inspector works (without replay) on a core that predates it.
 */
function replayFunction(): ReplayTicket | null {
  const candidate = (core as Record<string, unknown>).replayTicket;
  return typeof candidate === 'function' ? (candidate as ReplayTicket) : null;
}

/** Whether the replay route will answer. */
export function replayAvailability(options: InspectorReplayOptions | null): ReplayAvailability {
  if (!options) return 'not_configured';
  return replayFunction() ? 'available' : 'not_supported';
}

/**
 * Re-runs a stored ticket against the running definitions (recorded decisions, tool
 * outputs and approvals replace the model, the tools and the people; nothing is written).
 * @throws {HttpProblem} 501 when the app did not configure it or the core lacks it.
 */
export async function runReplay(options: InspectorReplayOptions | null, ticketId: string): Promise<unknown> {
  if (!options) {
    throw new HttpProblem(501, 'replay_not_configured', 'Replay is off: register the inspector with replay: { store, intents, workflows } (the definitions of the running code).');
  }
  const replay = replayFunction();
  if (!replay) throw new HttpProblem(501, 'replay_not_supported', 'The installed @ticketflow/core has no replayTicket; upgrade it to replay tickets.');
  return replay({ ...options, ticketId });
}
