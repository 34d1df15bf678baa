// The definitions of the running code, for `ticketflow replay --agent ./scripts/replay-agent.ts`
// and the replay regression test: the same intents, workflows and slots as the server's agent
// (createTelecomAgent). Replay never calls a tool, so the backend and the τ² world here are
// fresh simulated ones that nothing touches.
import { TelecomBackend } from '../src/backend/telecom-backend.js';
import { createTelecomDomain } from '../src/domain/telecom-domain.js';

const domain = createTelecomDomain(new TelecomBackend());

/** The telecom intents, as the server's agent has them. */
export const intents = domain.intents;
/** The telecom workflows, in the order their `when` is tried. */
export const workflows = domain.workflows;
/** Inference sources no workflow requires (`phone_model` → `device_type`). */
export const slots = domain.slots;
