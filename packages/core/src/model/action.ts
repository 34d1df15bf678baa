/**
 * The next action the engine chose for a turn.
 *
 * - `ask`: one question for one slot (D4); `slot` may be the reserved `intent` or `confirm`;
 * - `execute`: the workflow ran; `outcome` tells how it ended;
 * - `escalate`: handed to a human (`reason` says why);
 * - `fallback`: the LLM could not decide (every provider failed); nothing changed (L2);
 * - `cancelled`: a confirmation was declined or an approval rejected; nothing ran;
 * - `acknowledge`: nothing to ask or run (e.g. "thanks" after a resolved workflow, E2a);
 * - `wait`: the ticket's execution waits for a human approval;
 * - `erased`: the ticket was erased (or its store lost it) while the message was in flight:
 *   nothing was applied and the ticket was not re-created (P3, T2).
 */
export type Action =
  | { type: 'ask'; slot: string; question: string; workflow?: string }
  | { type: 'execute'; workflow: string; outcome: ExecutionOutcome; reason?: string }
  | { type: 'escalate'; reason: string }
  | { type: 'fallback'; reason: string }
  | { type: 'cancelled'; workflow: string; reason?: string }
  | { type: 'acknowledge' }
  | { type: 'wait'; workflow: string; reason: string }
  | { type: 'erased' };

/** How an execution ended. `failed` means rolled back (E3). */
export type ExecutionOutcome = 'resolved' | 'escalated' | 'failed' | 'awaiting_approval' | 'needs_human';

/** Reserved slot names: the engine owns them; workflows cannot declare them. */
export const RESERVED_SLOTS = { intent: 'intent', confirm: 'confirm' } as const;
