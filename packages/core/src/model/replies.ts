/** The texts the engine itself replies with (workflows write their own). */
export interface Replies {
  /** Every LLM failed (L2): the message is kept, nothing changed. */
  fallback: string;
  /** An execution failed and was rolled back (E3). */
  executionFailed: string;
  /** An execution failed and a compensation failed too: a person must look. */
  needsHuman: string;
  /** Nothing to ask or run (E2a). */
  acknowledge: string;
  /** Nothing run: the workflow's last run with these values failed or was left unfinished; offers to try again (a yes runs it). */
  notCompleted: string;
  /** A confirmation was declined. */
  cancelled: string;
  /** No workflow serves the intent, or none matches the known facts. */
  escalate: string;
  /** The same question went unanswered `maxClarifications` times in a row (D5). */
  clarificationLimit: string;
  /** A message arrived while a step waits for a human approval. */
  awaitingApproval: string;
  /** The ticket waits for a person after a failed compensation. */
  withHuman: string;
  /** A step now waits for a human approval. */
  approvalRequested: string;
  /** A human rejected the pending step; it was undone. */
  rejected: string;
  /** A procedure waited for the customer longer than `inputTimeoutMs` and was closed (E7). */
  inputExpired: string;
  /** The ticket was erased while the message was in flight (P3). */
  erased: string;
}

export const DEFAULT_REPLIES: Replies = {
  fallback: "Sorry, I can't process your message right now. It is saved on your ticket; please try again in a moment.",
  executionFailed: 'Sorry, something went wrong while handling your request. Nothing was changed; you can ask me to try again.',
  needsHuman: 'Sorry, something went wrong while handling your request. A support agent will review your ticket.',
  acknowledge: 'Your request has been taken care of. Is there anything else I can help you with?',
  notCompleted: 'Your last request was not completed. Shall I try it again?',
  cancelled: "OK, I won't do that. Is there anything else I can help you with?",
  escalate: "I'll pass your ticket to a support agent who can help with this.",
  clarificationLimit: "I'm sorry I couldn't understand. I'll pass your ticket to a support agent, who will get back to you.",
  awaitingApproval: 'Your request is waiting for approval by a support agent. I will continue as soon as it is decided.',
  withHuman: 'A support agent is reviewing your ticket and will get back to you.',
  approvalRequested: 'Your request needs the approval of a support agent. I will continue as soon as it is decided.',
  rejected: 'A support agent did not approve this request, so nothing was changed.',
  erased: 'This conversation has been closed and its data erased. Please start a new one if you need help.',
  inputExpired: "I haven't heard back from you, so I've closed this for now. Write again any time and we'll pick it up.",
};
