/**
 * What the inspector's API answers. The shapes follow `@ticketflow/core`, but the page
 * reads them defensively: an event's data is whatever the engine recorded.
 */
export interface Session {
  by: string | null;
  canDecide: boolean;
  title: string;
  replay: 'available' | 'not_configured';
  statuses: string[];
  attention: string[];
}

export interface TicketSummary {
  ticketId: string;
  version: number;
  status: string;
  updatedAt: string;
  claimExpiresAt: string | null;
}

export interface TicketPage {
  tickets: TicketSummary[];
  cursor: string | null;
}

export interface Queue extends TicketPage {
  status: string;
  attention: boolean;
}

export interface SlotValue {
  value: unknown;
  source: string;
  turn: number;
  from?: string[];
  spent?: boolean;
}

export interface ExecutionStep {
  index: number;
  tool: string;
  key: string;
  input: unknown;
  state: string;
  output?: unknown;
  attempts: number;
  approval?: { by: string; note?: string; at: string };
}

export interface TicketView {
  id: string;
  version: number;
  status: string;
  intent: string | null;
  workflow: string | null;
  slots: Record<string, SlotValue>;
  deferred: string[];
  transcript: { role: string; text: string; at: string; turn: number; actedOn?: boolean }[];
  turn: number;
  createdAt: string;
  updatedAt: string;
  pending: { slot: string; workflow: string | null } | null;
  execution: { id: string; workflow: string; turn: number; steps: ExecutionStep[] } | null;
  usage?: { llmCalls: number; inputTokens: number; outputTokens: number; estimatedCost: number };
}

export interface StoredEvent {
  seq: number;
  type: string;
  at: string;
  data?: Record<string, unknown>;
}

export interface Inspection {
  ticket: TicketView | null;
  events: StoredEvent[];
}

export interface DecisionAnswer {
  reply?: string;
  action?: Record<string, unknown>;
  ticket: TicketView;
}

/** One turn of a replay report (DESIGN §3); unknown extra fields are shown as they are. */
export interface ReplayTurn {
  turn: number;
  /** `message`, or a person's decision: `approve`, `reject`, `release`. */
  operation?: string;
  /** The customer's message (null for a person's decision). */
  message?: string | null;
  recorded: Record<string, unknown>;
  replayed: Record<string, unknown>;
  same: boolean;
  /** Why it went differently: `{ kind: 'action' | 'reply' | 'tool_calls' | 'unrecorded_tool_call' | 'error', … }`. */
  divergences?: unknown[];
  [field: string]: unknown;
}

export interface ReplayReport {
  turns: ReplayTurn[];
  diverged: unknown;
  [field: string]: unknown;
}
