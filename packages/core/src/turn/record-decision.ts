import type { DecideOutcome } from '../decide/decide.js';
import { eventOf } from '../events/draft.js';
import type { TicketEvent, TicketEventMap } from '../events/ticket-event-map.js';
import type { DecisionRecord } from '../model/ticket.js';
import type { TurnPlan } from '../policy/choose-next-action.js';
import type { Runtime } from '../runtime/runtime.js';
import { maskJson, sensitiveValues } from '../runtime/sensitive-values.js';

/**
 * The decision as recorded (O1): in `decision.made`, the processed-message record and the
 * turn's result. Entities of `sensitive` slots — and their values wherever else a model put
 * them — appear only as masks (P1); their sealed values
 * go to `sealedEntities`, so a replay with the agent's key can still read them.
 */
export function recordDecision(
  runtime: Runtime,
  decided: Extract<DecideOutcome, { ok: true }>,
  plan: TurnPlan,
  turn: number,
): { record: DecisionRecord; event: TicketEvent } {
  const entities: Record<string, unknown> = {};
  const sealedEntities: Record<string, string> = {};
  const secrets = sensitiveValues(runtime, plan.draft.ticket);
  for (const [name, value] of Object.entries(decided.decision.entities)) {
    const slot = runtime.registry.slots.get(name);
    if (!slot?.sensitive) {
      // A model may file a sensitive value under another name too: masked there as well.
      entities[name] = maskJson(value, secrets);
      continue;
    }
    const stored = plan.draft.ticket.slots[name];
    entities[name] = stored?.sealed !== undefined ? stored.value : '****';
    if (stored?.sealed !== undefined && stored.turn === turn) sealedEntities[name] = stored.sealed;
  }
  const record: DecisionRecord = { intent: decided.decision.intent, confidence: decided.decision.confidence, entities };
  const data: TicketEventMap['decision.made'] = {
    turn,
    ...record,
    ...(Object.keys(sealedEntities).length > 0 ? { sealedEntities } : {}),
    ticketIntent: plan.draft.ticket.intent,
    workflow: plan.draft.ticket.workflow,
    nextAction: nextAction(plan),
    provider: decided.provider,
    model: decided.model,
    latencyMs: decided.latencyMs,
    usage: decided.usage,
    ...(decided.ignoredKeys.length > 0 ? { ignoredKeys: decided.ignoredKeys } : {}),
  };
  return { record, event: eventOf('decision.made', plan.draft.at, data) };
}

function nextAction(plan: TurnPlan): TicketEventMap['decision.made']['nextAction'] {
  if (plan.kind === 'reply') return plan.action;
  if (plan.kind === 'abandon') return { type: 'abandon', workflow: plan.draft.ticket.execution?.workflow ?? '', reason: plan.reason };
  return { type: plan.kind, workflow: plan.workflow.name };
}
